import { ValidationError } from "./errors.js";
import { describe } from "./field-text.js";

/** Matches the spec's `Idempotency-Key` pattern. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._-]{16,96}$/;
/**
 * Checks a task id and returns it; path encoding is left to the URL builder.
 *
 * @throws {ValidationError} with `field: "task_id"`.
 */
export function validateTaskId(taskId: unknown): string {
  if (typeof taskId !== "string" || taskId.trim() === "") {
    throw new ValidationError("task_id", `task_id must be a non-empty string, got ${describe(taskId)}.`);
  }
  // "." and ".." survive percent-encoding and would be resolved away as path segments.
  if (taskId === "." || taskId === "..") {
    throw new ValidationError("task_id", `task_id cannot be "${taskId}".`);
  }
  return taskId;
}

/**
 * Checks a caller-supplied idempotency key against the gateway's format.
 *
 * @throws {ValidationError} with `field: "idempotencyKey"`.
 */
export function validateIdempotencyKey(key: unknown): string {
  if (typeof key !== "string" || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new ValidationError(
      "idempotencyKey",
      "idempotencyKey must be 16–96 characters from A–Z, a–z, 0–9, '.', '_' and '-'.",
    );
  }
  return key;
}
