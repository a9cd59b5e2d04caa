import type { Task } from "@videoretalk/core";

/** A completed task: `results` holds at least one result URL (valid for 24 hours). */
export type CompletedTask = Task & { status: "completed"; results: [string, ...string[]] };

/**
 * Whether `task` is completed with at least one result URL.
 *
 * @example
 * ```ts
 * const task = await client.tasks.get(taskId);
 * if (isCompletedTask(task)) console.log(task.results[0]);
 * ```
 */
export function isCompletedTask(task: Task): task is CompletedTask {
  return (
    task.status === "completed" &&
    Array.isArray(task.results) &&
    task.results.length > 0 &&
    task.results.every((url) => typeof url === "string" && url !== "")
  );
}
