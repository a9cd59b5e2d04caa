/**
 * Building the `APIConnectionError` of a call whose fetch threw. Loaded only when a call fails
 * (through failure-path.ts); the classification that decides retries stays in network-error.ts.
 */
import { APIConnectionError } from "./errors.js";
import { codesOf } from "./network-error.js";
import { redactText } from "./redact.js";
import { sanitizeCause } from "./sanitize-cause.js";

/**
 * A short reason for a failed fetch: its most specific code (`ECONNREFUSED`), else the innermost
 * message in the cause chain, since undici's outer message is only "fetch failed".
 */
export function describeFetchError(error: unknown): string {
  const code = codesOf(error).at(-1);
  if (code) return code;
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current.message) message = current.message;
    current = (current as { cause?: unknown }).cause;
  }
  return message;
}

/** What the transport knows about an attempt whose fetch threw. */
export interface FailedFetch {
  /** `POST /v1/videos/generations`, already redacted. */
  label: string;
  thrown: unknown;
  secrets: readonly string[];
  idempotencyKey: string | undefined;
  /** Whether the request may have reached the server (see `classifyFetchError`). */
  connected: boolean;
}

/** The error for a fetch that threw: its reason and cause, with every secret removed. */
export function connectionError(failed: FailedFetch): APIConnectionError {
  const { secrets } = failed;
  return new APIConnectionError(`${failed.label} failed: ${redactText(describeFetchError(failed.thrown), secrets)}.`, {
    idempotencyKey: failed.idempotencyKey,
    cause: sanitizeCause(failed.thrown, secrets),
    connected: failed.connected,
  });
}
