import { requestIdOf, type Task, type VideoRetalkError } from "@videoretalk/core";
import { isCompletedTask } from "./completed-task.js";
import { TaskCancelledError, TaskFailedError } from "./errors.js";

/**
 * The error a finished task stands for: `TaskFailedError` for `failed` (or `completed` without
 * a result URL, code `missing_results`), `TaskCancelledError` for `cancelled`, `undefined` for a
 * usable completed task or one still running. Shared by `watchTask` and the React hooks so both
 * report the same thing.
 *
 * @example
 * ```ts
 * const error = terminalTaskError(await client.tasks.get(id));
 * if (error) throw error;
 * ```
 */
export function terminalTaskError(task: Task): VideoRetalkError | undefined {
  const requestId = requestIdOf(task);
  switch (task.status) {
    case "failed":
      return new TaskFailedError(task, { requestId });
    case "cancelled":
      return new TaskCancelledError(task, { requestId });
    case "completed":
      return isCompletedTask(task)
        ? undefined
        : new TaskFailedError(task, {
            code: "missing_results",
            message: "the task completed without a result URL",
            requestId,
          });
    default:
      return undefined;
  }
}
