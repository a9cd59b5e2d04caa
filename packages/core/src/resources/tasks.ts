import { VideoRetalkError } from "../errors.js";
import type { paths } from "../generated/schema.js";
import type { Task } from "../models.js";
import { readTaskResult } from "../read-result.js";
import type { RequestOptions } from "../request-options.js";
import { validateTaskId } from "../validate.js";
import type { ResourceContext } from "./context.js";

type GetTaskResponse = paths["/v1/tasks/{task_id}"]["get"]["responses"][200]["content"]["application/json"];

/** `client.tasks`: read tasks back. */
export interface TasksResource {
  /**
   * Reads a task (`GET /v1/tasks/{task_id}`). Failed and cancelled tasks are returned, not
   * thrown: check `task.status`. Connection errors, timeouts, 408, 429 and 5xx are retried.
   *
   * @example
   * ```ts
   * const task = await client.tasks.get("task-unified-1756817821-4x3rx6ny");
   * if (task.status === "completed") console.log(task.results?.[0]);
   * ```
   * @throws {ValidationError} for an empty id; `NotFoundError` for an unknown or expired one.
   */
  get(taskId: string, options?: RequestOptions): Promise<Task>;
}

export function createTasksResource(ctx: ResourceContext): TasksResource {
  return {
    async get(taskId, options = {}) {
      try {
        const id = validateTaskId(taskId);
        const path = `/v1/tasks/${encodeURIComponent(id)}`;
        const response = await ctx.transport.request(
          { method: "GET", url: ctx.baseUrl + path, path, headers: options.headers },
          options,
        );
        return readTaskResult<GetTaskResponse>(response, { secrets: ctx.secrets, now: ctx.now, taskId: id });
      } catch (error) {
        if (error instanceof VideoRetalkError && typeof taskId === "string") error.taskId = taskId;
        throw error;
      }
    },
  };
}
