import { MAX_BATCH_TASK_IDS } from "./batch-limit.js";
import { ValidationError } from "./errors.js";
import { validateTaskId } from "./validate-ids.js";

/** Checks the ids of `tasks.getMany()`; each must pass `tasks.get()`'s id check. */
export function validateTaskIds(taskIds: unknown): string[] {
  if (!Array.isArray(taskIds)) {
    throw new ValidationError("task_ids", "task_ids must be an array of task id strings.");
  }
  if (taskIds.length < 1 || taskIds.length > MAX_BATCH_TASK_IDS) {
    throw new ValidationError(
      "task_ids",
      `task_ids must hold between 1 and ${MAX_BATCH_TASK_IDS} task ids, got ${taskIds.length}.`,
    );
  }
  return taskIds.map((taskId, index) => {
    try {
      return validateTaskId(taskId);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new ValidationError("task_ids", `task_ids[${index}]: ${error.message}`);
    }
  });
}
