import { type UseMutationResult, useMutation, useQueryClient } from "@tanstack/react-query";
import type { CreatedTask, LipSyncParams, VideoRetalkError } from "@videoretalk/core";
import { useCallback, useRef } from "react";
import { useVideoRetalkClient } from "./provider.js";
import { taskQueryKey } from "./queries.js";
import { loadTaskSchedule } from "./task-schedule-loader.js";

/**
 * What {@link useCreateLipSync} returns: TanStack's mutation result, with joining `mutate`.
 *
 * @example
 * ```ts
 * const create: UseCreateLipSyncResult = useCreateLipSync();
 * const task = await create.mutateAsync({ video_url, audio_url });
 * ```
 */
export type UseCreateLipSyncResult = UseMutationResult<CreatedTask, VideoRetalkError, LipSyncParams>;

/**
 * The mutation key of lip-sync creations.
 *
 * @example
 * ```ts
 * const creating = useIsMutating({ mutationKey: createLipSyncMutationKey }) > 0;
 * ```
 */
export const createLipSyncMutationKey = ["videoretalk", "lipSync", "create"] as const;

function noop(): void {}

/**
 * A TanStack mutation that creates a lip-sync task (`client.lipSync.create`).
 *
 * One submission, one task: the submission's `Idempotency-Key` is fixed (the client reuses it
 * for its own safe retries), the mutation itself is never retried, and a `mutate` /
 * `mutateAsync` while a submission is pending joins it — it returns the same promise and sends
 * nothing — so a double click or React StrictMode's double effects cannot create two tasks. A
 * new submission (and key) starts only once the previous one has settled, or after `reset()`.
 * A joining call's per-call callbacks are ignored; the first call's apply.
 *
 * The created task is put in the query cache under {@link taskQueryKey}, so `useTask(task.id)`
 * shows it at once and counts it as the first observation of its polling schedule.
 *
 * @example
 * ```tsx
 * const create = useCreateLipSync();
 * <button disabled={create.isPending} onClick={() => create.mutate({ video_url, audio_url })}>
 *   Lip-sync
 * </button>;
 * const taskId = create.data?.id; // then: useTask(taskId ?? null)
 * ```
 */
export function useCreateLipSync(): UseCreateLipSyncResult {
  const mutation = useLipSyncMutation();
  const inFlight = useRef<Promise<CreatedTask> | null>(null);
  const { mutateAsync: startSubmission, reset: resetMutation } = mutation;

  const mutateAsync = useCallback<UseCreateLipSyncResult["mutateAsync"]>(
    (params, options) => {
      if (inFlight.current) return inFlight.current;
      const promise = startSubmission(params, options);
      inFlight.current = promise;
      const settle = () => {
        if (inFlight.current === promise) inFlight.current = null;
      };
      promise.then(settle, settle);
      return promise;
    },
    [startSubmission],
  );

  const mutate = useCallback<UseCreateLipSyncResult["mutate"]>(
    (params, options) => {
      mutateAsync(params, options).catch(noop);
    },
    [mutateAsync],
  );

  const reset = useCallback(() => {
    // The request in flight cannot be recalled; forget it so the next mutate is a new submission.
    inFlight.current = null;
    resetMutation();
  }, [resetMutation]);

  return { ...mutation, mutate, mutateAsync, reset };
}

/**
 * The TanStack mutation behind {@link useCreateLipSync}, without its joining of concurrent calls:
 * `useLipSync` guards its own `start()` and uses this directly, so its bundle does not carry
 * the joining wrappers.
 *
 * @internal
 */
export function useLipSyncMutation(): UseCreateLipSyncResult {
  const client = useVideoRetalkClient();
  const queryClient = useQueryClient();
  return useMutation<CreatedTask, VideoRetalkError, LipSyncParams>({
    mutationKey: createLipSyncMutationKey,
    // No idempotencyKey passed: core draws one per call and keeps it across its own retries,
    // and with retry off there is exactly one call per submission. The task is polled next, so
    // the schedule's chunk starts loading alongside, but the create never waits for it: the task
    // id must reach the app as soon as the task exists, even if the chunk is slow or missing (a
    // failed load surfaces on the task's first read instead).
    mutationFn: (params) => {
      loadTaskSchedule().catch(noop);
      return client.lipSync.create(params);
    },
    retry: false,
    onSuccess: (created) => {
      const key = taskQueryKey(created.id);
      // Never overwrite a newer read of the same task.
      if (queryClient.getQueryData(key) === undefined) queryClient.setQueryData(key, created);
    },
  });
}
