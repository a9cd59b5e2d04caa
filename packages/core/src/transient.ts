import { APIConnectionError, APIError } from "./errors.js";

/**
 * Whether an error is worth trying again later: the connection failed or timed out
 * (`APIConnectionError`, `APITimeoutError`), or the server answered 408, 429 or 5xx. Everything
 * else — 4xx refusals, `ValidationError`, a caller's abort (`RequestAbortedError`), errors that
 * are not the SDK's — is final. One rule for the whole SDK: polling's wait loop, the React hooks
 * and the webhook tools all ask this.
 *
 * @example
 * ```ts
 * import { isTransientError } from "@videoretalk/core";
 * try {
 *   await client.tasks.get(taskId);
 * } catch (err) {
 *   if (!isTransientError(err)) throw err; // else try again later
 * }
 * ```
 */
export function isTransientError(error: unknown): boolean {
  if (error instanceof APIConnectionError) return true;
  if (error instanceof APIError) return error.status === 408 || error.status === 429 || error.status >= 500;
  return false;
}
