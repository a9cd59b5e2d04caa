import { APIError, isTransientError, RateLimitError, ValidationError } from "@videoretalk/core";

/**
 * What a worker does with an error from a create call:
 * - `rate-limited`: a 429 — every worker pauses (BullMQ's queue-wide limiter) for `retryAfterMs`
 *   (the `Retry-After`, else backoff) and the job goes back to the queue without using an attempt;
 * - `transient`: a lost connection, a timeout, 408, 5xx, or a 401 (the worker's key, not the job,
 *   is at fault) — BullMQ retries the job with backoff, with the same idempotency key;
 * - `dead-letter`: anything retrying cannot fix (400, 402, 403, 404, 422, a bad parameter) —
 *   the job fails at once (`UnrecoverableError`).
 */
export type FailureKind =
  | { kind: "rate-limited"; retryAfterMs: number | undefined }
  | { kind: "transient" }
  | { kind: "dead-letter" };

/**
 * Sorts a create error into {@link FailureKind}.
 *
 * @example
 * classifyFailure(new InsufficientCreditsError({ status: 402 })); // { kind: "dead-letter" }
 */
export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof RateLimitError || (error instanceof APIError && error.status === 429)) {
    return { kind: "rate-limited", retryAfterMs: error.retryAfterMs };
  }
  if (isTransientError(error)) return { kind: "transient" };
  if (error instanceof APIError && error.status === 401) return { kind: "transient" };
  if (error instanceof APIError) return { kind: "dead-letter" };
  // A ValidationError (bad job data) cannot improve either; anything else (a bug, Redis) may.
  if (error instanceof ValidationError) return { kind: "dead-letter" };
  return { kind: "transient" };
}
