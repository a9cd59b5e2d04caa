/**
 * The sentences that explain a refused input (see field-checks.ts). Loaded by the browser build
 * only when input is refused; the `@videoretalk/core/validation` checks use them directly.
 */
import { ValidationError } from "./errors.js";
import { CREATE_FIELDS, FACE_THRESHOLD_RANGE, type FieldProblem } from "./field-checks.js";

/** How a rejected value is named in messages, without echoing it. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return value === "" ? "an empty string" : "a string";
  return `a ${typeof value}`;
}

/** The message for `problem`: what was expected, and what came instead (never the value itself). */
export function fieldProblemMessage({ field, rule, value }: FieldProblem): string {
  switch (rule) {
    case "params-object":
      return `lipSync.create() expects a parameters object, got ${describe(value)}.`;
    case "unknown-field":
      return `${field} is not a VideoRetalk parameter; expected one of ${[...CREATE_FIELDS].join(", ")}.`;
    case "null":
      return `${field} must be omitted rather than null.`;
    case "model":
      return `model must be "videoretalk", got ${JSON.stringify(value)}.`;
    case "url-string":
      return `${field} must be a non-empty URL string, got ${describe(value)}.`;
    case "url-absolute":
      return `${field} must be an absolute http(s) URL such as https://example.com/file.mp4.`;
    case "url-scheme":
      return `${field} must use http or https, not ${String(value).slice(0, -1)}.`;
    case "boolean":
      return `${field} must be a boolean, got ${describe(value)}.`;
    case "face-threshold": {
      const { min, max } = FACE_THRESHOLD_RANGE;
      const got = typeof value === "number" ? value : describe(value);
      return `${field} must be an integer from ${min} to ${max} (default 170), got ${got}.`;
    }
    case "task-id":
      return `task_id must be a non-empty string, got ${describe(value)}.`;
    case "task-id-dots":
      return `task_id cannot be "${String(value)}".`;
    case "idempotency-key":
      return "idempotencyKey must be 16–96 characters from A–Z, a–z, 0–9, '.', '_' and '-'.";
  }
}

/** The `ValidationError` for `problem`, naming its field. */
export function fieldProblemError(problem: FieldProblem): ValidationError {
  return new ValidationError(problem.field, fieldProblemMessage(problem));
}
