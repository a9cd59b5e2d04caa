import { VideoRetalkError } from "../errors.js";
import { fieldError } from "../failure-loader.js";
import { taskIdProblem } from "../field-checks.js";
import type { Task } from "../models.js";
import { OPERATIONS, type SuccessBody, sendOperation } from "../operations.js";
import { readTaskResult } from "../read-result.js";
import type { RequestOptions } from "../request-options.js";
import type { ResourceContext } from "./context.js";
import { loadOccasionalReads, type OccasionalReads } from "./occasional-reads-loader.js";

type GetTaskResponse = SuccessBody<"/v1/tasks/{task_id}", "get">;

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

  /**
   * Reads up to 50 tasks in one request (`POST /v1/tasks/batch`, used by Evolink's official
   * clients but not in its public reference). Returns the tasks that exist, in no particular
   * order; unknown, expired or foreign ids are simply absent. It only reads, so it is retried
   * like `get()`. Servers without the endpoint answer 404 (`NotFoundError`) or 405 (`APIError`
   * with `status` 405): fall back to one `get()` per id.
   *
   * @example
   * ```ts
   * const tasks = await client.tasks.getMany(["task-unified-1", "task-unified-2"]);
   * for (const task of tasks) console.log(task.id, task.status);
   * ```
   * @throws {ValidationError} with `field` `"task_ids"` for no ids, more than 50, or an id
   *   `get()` would refuse; nothing is sent.
   */
  getMany(taskIds: readonly string[], options?: RequestOptions): Promise<Task[]>;
}

/** `client.tasks`; `loadBatch` is a parameter so tests can make it fail like an unreachable chunk. */
export function createTasksResource(
  ctx: ResourceContext,
  // The batch read is loaded on first use; apps that read one task at a time never download it.
  loadBatch: () => Promise<Pick<OccasionalReads, "getManyTasks">> = loadOccasionalReads,
): TasksResource {
  return {
    async get(taskId, options = {}) {
      try {
        const problem = taskIdProblem(taskId);
        if (problem) throw await fieldError(problem, ctx.failures);
        const response = await sendOperation(
          ctx,
          OPERATIONS.getTaskDetail,
          { pathParams: { task_id: taskId } },
          options,
        );
        return await readTaskResult<GetTaskResponse>(response, { ...ctx, taskId });
      } catch (error) {
        if (error instanceof VideoRetalkError && typeof taskId === "string") error.taskId = taskId;
        throw error;
      }
    },
    async getMany(taskIds, options) {
      return (await loadBatch()).getManyTasks(ctx, taskIds, options);
    },
  };
}
