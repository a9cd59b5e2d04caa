/**
 * `POST /v1/tasks/batch`, loaded on the first `client.tasks.getMany()` (see tasks.ts): apps that
 * read one task at a time never download it.
 */
import type { Task } from "../models.js";
import { OPERATIONS, type SuccessBody, sendOperation } from "../operations.js";
import { isJsonObject, readJsonResult } from "../read-json-result.js";
import type { RequestOptions } from "../request-options.js";
import { validateTaskIds } from "../task-ids.js";
import type { ResourceContext } from "./context.js";

type BatchResponse = SuccessBody<"/v1/tasks/batch", "post">;

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
  const body = await readJsonResult(response, ctx, isBatchResponse, "a task list ({ data: [task…] })");
  return body.data;
}
