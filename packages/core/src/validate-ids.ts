import { idempotencyKeyProblem, taskIdProblem } from "./field-checks.js";
import { fieldProblemError } from "./field-messages.js";

export { IDEMPOTENCY_KEY_PATTERN } from "./field-checks.js";

/**
 * Checks a task id and returns it; path encoding is left to the URL builder.
 *
 * @example
 * ```ts
 * import { validateTaskId } from "@videoretalk/core/validation";
 *
 * const id = validateTaskId(process.argv[2]); // throws ValidationError (field "task_id") for "" or ".."
 * ```
 * @throws {ValidationError} with `field: "task_id"`.
 */
export function validateTaskId(taskId: unknown): string {
  const problem = taskIdProblem(taskId);
  if (problem) throw fieldProblemError(problem);
  return taskId as string;
}

/**
 * Checks a caller-chosen `Idempotency-Key` against the spec's pattern and returns it.
 *
 * @example
 * ```ts
 * import { validateIdempotencyKey } from "@videoretalk/core/validation";
 *
 * const key = validateIdempotencyKey(`dub-${videoId}-${language}`);
 * ```
 * @throws {ValidationError} with `field: "idempotencyKey"`.
 */
export function validateIdempotencyKey(key: unknown): string {
  const problem = idempotencyKeyProblem(key);
  if (problem) throw fieldProblemError(problem);
  return key as string;
}
