import { type DataTag, queryOptions } from "@tanstack/react-query";
import type { Task, VideoRetalkClient, VideoRetalkError } from "@videoretalk/core";
import {
  type PollIntervalOptions,
  retryTransient,
  taskRefetchInterval,
  taskStaleTime,
  transientRetryDelayMs,
} from "./task-schedule.js";

/**
 * Query keys and `queryOptions` for tasks. No `"use client"` here: this module also runs on the
 * server, to prefetch a task before rendering.
 */

export type { PollIntervalOptions } from "./task-schedule.js";

/**
 * The TanStack Query key of one task: `["videoretalk", "task", taskId]`.
 *
 * @example
 * ```ts
 * const key: TaskQueryKey = taskQueryKey(taskId);
 * ```
 */
export type TaskQueryKey = readonly ["videoretalk", "task", string];

/**
 * Options of {@link taskQueryOptions}: the polling schedule's bounds.
 *
 * @example
 * ```ts
 * const options: TaskQueryOptions = { minIntervalMs: 2_000, maxIntervalMs: 30_000 };
 * ```
 */
export interface TaskQueryOptions extends PollIntervalOptions {}

/**
 * The query key under which a task is cached, e.g. to read or invalidate it. It is tagged with
 * the `Task` type, so `getQueryData` / `setQueryData` are typed.
 *
 * @example
 * ```ts
 * queryClient.invalidateQueries({ queryKey: taskQueryKey(taskId) });
 * const task = queryClient.getQueryData(taskQueryKey(taskId)); // Task | undefined
 * ```
 */
export function taskQueryKey(taskId: string): DataTag<TaskQueryKey, Task> {
  return ["videoretalk", "task", taskId] as const as DataTag<TaskQueryKey, Task>;
}

/**
 * TanStack Query options that read one task with `client.tasks.get`, for `useQuery`,
 * `prefetchQuery`, `ensureQueryData` or `useSuspenseQuery`.
 *
 * - The query's `AbortSignal` is passed on, so an unmounted query cancels its request.
 * - Only transient failures (connection, timeout, 408, 429, 5xx) are retried, 3 times at most,
 *   honouring `Retry-After`; a 404 or 401 fails at once.
 * - `refetchInterval` follows the polling package's adaptive schedule (`nextPollDelayMs`) and
 *   stops once the task is `completed`, `failed` or `cancelled`; `staleTime` keeps a running task
 *   fresh until its next scheduled read and a terminal one fresh for good.
 *
 * @param client A core client; on the server, one with your API key.
 * @param taskId The task to read.
 * @param options `minIntervalMs` (default 1 000) and `maxIntervalMs` (default 60 000).
 * @example
 * ```ts
 * // Server: prefetch, then hand the cache to the browser with <HydrationBoundary>.
 * import { dehydrate, QueryClient } from "@tanstack/react-query";
 * import { taskQueryOptions } from "@videoretalk/react/queries";
 *
 * const queryClient = new QueryClient();
 * await queryClient.prefetchQuery(taskQueryOptions(client, taskId));
 * const state = dehydrate(queryClient);
 * ```
 */
export function taskQueryOptions(client: VideoRetalkClient, taskId: string, options: TaskQueryOptions = {}) {
  const { minIntervalMs, maxIntervalMs } = options;
  const schedule: PollIntervalOptions = { minIntervalMs, maxIntervalMs };
  return queryOptions<Task, VideoRetalkError, Task, TaskQueryKey>({
    queryKey: taskQueryKey(taskId),
    // TanStack retries transient failures itself (retryTransient); core must not multiply them.
    queryFn: ({ signal }) => client.tasks.get(taskId, { signal, maxRetries: 0 }),
    retry: retryTransient,
    retryDelay: transientRetryDelayMs,
    staleTime: (query) => taskStaleTime(query, schedule),
    refetchInterval: (query) => taskRefetchInterval(query, schedule),
    // Keep the object core returned: structural sharing would copy a changed task, and the copy
    // loses what core remembers about it (`requestIdOf(task)`, used by TaskFailedError.requestId).
    structuralSharing: false,
  });
}
