import { type DataTag, queryOptions } from "@tanstack/react-query";
import { isTerminalStatus, type Task, type VideoRetalkClient, type VideoRetalkError } from "@videoretalk/core";
import { DEFAULT_MIN_INTERVAL_MS } from "@videoretalk/polling";
import type { ObservedQuery, PollIntervalOptions } from "./task-schedule.js";
import { loadedTaskSchedule, withTaskSchedule } from "./task-schedule-loader.js";

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
 * - The schedule is a chunk of its own, loaded with `import()` alongside the first read (which
 *   settles once both are there); a chunk that fails to load fails that read with a
 *   `VideoRetalkError`. A task put in the cache before the chunk arrived (hydrated from a server
 *   prefetch, `setQueryData`) counts as fresh and is read again after `minIntervalMs`.
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
  return queryOptions<Task, VideoRetalkError, Task, TaskQueryKey>({
    queryKey: taskQueryKey(taskId),
    // TanStack retries transient failures itself (retryTransient); core must not multiply them.
    queryFn: ({ signal }) => withTaskSchedule(client.tasks.get(taskId, { signal, maxRetries: 0 })),
    // A read settles only once the schedule's load has too, so without the schedule here its
    // load failed, and that error is not worth retrying.
    retry: (failureCount, error) => loadedTaskSchedule()?.retryTransient(failureCount, error) ?? false,
    retryDelay: (failureCount, error) => loadedTaskSchedule()?.transientRetryDelayMs(failureCount, error) ?? 0,
    staleTime: (query) => loadedTaskSchedule()?.taskStaleTime(query, options) ?? staleTimeBeforeSchedule(query),
    refetchInterval: (query) =>
      loadedTaskSchedule()?.taskRefetchInterval(query, options) ?? intervalBeforeSchedule(query, options),
    // Keep the object core returned: structural sharing would copy a changed task, and the copy
    // loses what core remembers about it (`requestIdOf(task)`, used by TaskFailedError.requestId).
    structuralSharing: false,
  });
}

// Until the schedule has loaded: a task in the cache (hydrated, or set before any read) is fresh,
// and the interval reads it again after minIntervalMs, which loads the schedule. After a failed
// load (the only way a read fails without the schedule there) polling stops, like after any
// permanent error; TanStack counts a failed query as stale whatever its staleTime, so a remount,
// a refetch() or the window regaining focus reads (and loads) again.

function staleTimeBeforeSchedule(query: ObservedQuery): number {
  return query.state.data === undefined ? 0 : Number.POSITIVE_INFINITY;
}

function intervalBeforeSchedule(query: ObservedQuery, options: PollIntervalOptions): number | false {
  const { data, status } = query.state;
  if (status === "error" || isTerminalStatus(data?.status)) return false;
  return Math.max(1, options.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS);
}
