import { ValidationError } from "../errors.js";
import type { Task } from "../models.js";
import { OPERATIONS, type SuccessBody, sendOperation } from "../operations.js";
import { isJsonObject, readJsonResult } from "../read-json-result.js";
import type { RequestOptions } from "../request-options.js";
import { validateTaskId } from "../validate.js";
import type { ResourceContext } from "./context.js";

/** Most ids one `POST /v1/tasks/batch` accepts. */
export const MAX_BATCH_TASK_IDS = 50;

type BatchResponse = SuccessBody<"/v1/tasks/batch", "post">;

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

function isBatchResponse(body: unknown): body is BatchResponse {
  return (
    isJsonObject(body) &&
    Array.isArray(body.data) &&
    body.data.every((task) => isJsonObject(task) && typeof task.id === "string" && typeof task.status === "string")
  );
}

/** `POST /v1/tasks/batch`: the tasks among `taskIds` that exist; see `TasksResource.getMany`. */
export async function getManyTasks(
  ctx: ResourceContext,
  taskIds: readonly string[],
  options: RequestOptions = {},
): Promise<Task[]> {
  const ids = validateTaskIds(taskIds);
  const response = await sendOperation(ctx, OPERATIONS.batchGetTasks, { body: { task_ids: ids } }, options);
  const body = readJsonResult(
    response,
    { secrets: ctx.secrets, now: ctx.now },
    isBatchResponse,
    "a task list ({ data: [task…] })",
  );
  return body.data;
}
