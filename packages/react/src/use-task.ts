import { skipToken, type UseQueryResult, useQuery } from "@tanstack/react-query";
import type { Task, VideoRetalkError } from "@videoretalk/core";
import { useVideoRetalkClient } from "./provider.js";
import { type TaskQueryOptions, taskQueryOptions } from "./queries.js";

/**
 * Options of {@link useTask}.
 *
 * @example
 * ```ts
 * useTask(taskId, { enabled: isVisible, maxIntervalMs: 10_000 });
 * ```
 */
export interface UseTaskOptions extends TaskQueryOptions {
  /** Set to `false` to stop reading (and polling) the task. Default `true`. */
  enabled?: boolean | undefined;
}

/**
 * Reads a task and polls it until it is `completed`, `failed` or `cancelled`.
 *
 * Polling follows the adaptive schedule of `@videoretalk/polling` (sparse early, dense near the
 * predicted end, between `minIntervalMs` and `maxIntervalMs`), pauses while the tab is hidden
 * and reads again when it comes back. Unmounting cancels the request in flight. A failed or
 * cancelled task is data, not an error: check `data.status`. `error` holds HTTP and connection
 * failures (after up to 3 retries of transient ones).
 *
 * To resume after a reload, keep the task id in the URL or in storage and pass it back.
 *
 * @param taskId The task to watch; `null` reads nothing (e.g. before one was created).
 * @example
 * ```tsx
 * function Progress({ taskId }: { taskId: string | null }) {
 *   const { data: task, error } = useTask(taskId);
 *   if (error) return <p>{error.message}</p>;
 *   return <progress max={100} value={task?.progress ?? 0} />;
 * }
 * ```
 */
export function useTask(taskId: string | null, options: UseTaskOptions = {}): UseQueryResult<Task, VideoRetalkError> {
  const client = useVideoRetalkClient();
  const { enabled = true } = options;
  // taskQueryOptions reads only the schedule's bounds from the options.
  const base = taskQueryOptions(client, taskId ?? "", options);
  return useQuery({
    ...base,
    // skipToken keeps the placeholder query of a `null` id from ever running.
    queryFn: taskId === null ? skipToken : base.queryFn,
    enabled: enabled && taskId !== null,
    // The interval keeps running while the tab is hidden but reads nothing; TanStack reads
    // again on focus once the scheduled time has passed (the query is stale by then).
    refetchIntervalInBackground: false,
  });
}
