import { type Task, traceCall, VideoRetalkError } from "@videoretalk/core";
import { type CompletedTask, isCompletedTask } from "./completed-task.js";
import { type TaskReader, type WatchTaskOptions, watchFrom } from "./watch-task.js";

/** Options of {@link waitForTask}; see {@link WatchTaskOptions}. */
export type WaitForTaskOptions = WatchTaskOptions;

/**
 * Waits until a task completes and returns it, reading at once and then on the adaptive
 * schedule of `nextPollDelayMs` (`@videoretalk/polling/schedule`). Built on {@link watchTask}:
 * `onProgress` receives each distinct update.
 *
 * @example
 * ```ts
 * const task = await waitForTask(client, taskId, {
 *   timeoutMs: 10 * 60_000,
 *   onProgress: (t) => console.log(t.status, t.progress),
 * });
 * console.log(task.results[0]);
 * ```
 * @throws {TaskFailedError} when the task failed (`code`, API message and `task` attached), or
 *   completed without a result URL (`code: "missing_results"`).
 * @throws {TaskCancelledError} when the task was cancelled.
 * @throws {WaitTimeoutError} when `timeoutMs` (default 30 min) ran out; `task` is the last read.
 * @throws {RequestAbortedError} (core) when `signal` aborts.
 * @throws {APIError} (core) for a non-transient HTTP error such as 401 or 404.
 */
export function waitForTask(
  client: TaskReader,
  taskId: string,
  options: WaitForTaskOptions = {},
): Promise<CompletedTask> {
  return tracedWait(watchFrom(client, taskId, options, undefined), taskId);
}

/**
 * `lastCompleted` in a `videoretalk.wait` span when OpenTelemetry is set up (see core's
 * "Tracing"); the reads inside are the client's own `GET /v1/tasks/{task_id}` spans. @internal
 */
export function tracedWait(watch: AsyncIterable<Task>, taskId: string): Promise<CompletedTask> {
  return traceCall("videoretalk.wait", { "videoretalk.task.id": taskId }, () => lastCompleted(watch, taskId));
}

/** Drains a watch and returns the completed task it ended with. @internal */
export async function lastCompleted(watch: AsyncIterable<Task>, taskId: string): Promise<CompletedTask> {
  let last: Task | undefined;
  for await (const task of watch) last = task;
  if (!last || !isCompletedTask(last)) {
    // watchFrom only ends after yielding a completed task; this guards against a broken iterable.
    throw new VideoRetalkError(`Watching task ${taskId} ended before it completed.`, { taskId });
  }
  return last;
}
