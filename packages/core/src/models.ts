import type { components } from "./generated/schema.js";

// Friendly names over the generated OpenAPI types. This is the only module that names schemas
// from `generated/`, so a rename in the spec is fixed in one place. Elsewhere core imports only
// `paths` (to type routes: operations.ts, client.ts, the raw client), and index.ts re-exports the
// generated types unchanged for users.

/** Parameters of `client.lipSync.create()`; `model` defaults to `"videoretalk"`. */
export type LipSyncParams = Omit<components["schemas"]["VideoRetalkRequest"], "model"> & {
  model?: components["schemas"]["VideoRetalkRequest"]["model"];
};

/** The task as returned by the create call (`status` is `pending` right after creation). */
export type CreatedTask = components["schemas"]["VideoRetalkResponse"];

/** A task as returned by `GET /v1/tasks/{task_id}` and delivered to `callback_url`. */
export type Task = components["schemas"]["TaskDetailResponse"];

/** Every documented task status. */
export type TaskStatus = components["schemas"]["TaskStatus"];

/** Why a task failed (`task.error`). */
export type TaskFailure = components["schemas"]["TaskFailure"];

/** `task_info`: cancellability, estimated seconds to completion, video duration. */
export type TaskInfo = components["schemas"]["VideoTaskInfo"];

/** `usage`: billing rule and credits reserved for the task. */
export type TaskUsage = components["schemas"]["VideoUsage"];

/**
 * The credit balance returned by `client.credits.get()`: `user` is the account's balance,
 * `token` the calling API key's own limit (see `token.unlimited_credits`).
 */
export type Credits = components["schemas"]["Credits"];

/** The documented error body (`{ error: { code, message, type, param? } }`). */
export type ErrorResponseBody = components["schemas"]["TaskQueryErrorResponse"];

/**
 * Whether each status is still moving or final. `satisfies` makes a status added to the spec a
 * compile error here until someone decides what it means.
 */
export const TASK_STATUS_PHASE = {
  pending: "active",
  processing: "active",
  completed: "terminal",
  failed: "terminal",
  cancelled: "terminal",
} as const satisfies Record<TaskStatus, "active" | "terminal">;

/** True for `completed`, `failed` and `cancelled`; unknown statuses count as still running. */
export function isTerminalStatus(status: string | undefined): boolean {
  return (
    status !== undefined &&
    Object.hasOwn(TASK_STATUS_PHASE, status) &&
    TASK_STATUS_PHASE[status as TaskStatus] === "terminal"
  );
}
