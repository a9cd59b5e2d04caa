/**
 * `@videoretalk/core/retry`: the SDK's retry decisions, pure, so every rule is unit-tested
 * directly: which outcomes may be retried, and how long to wait before the next attempt. The
 * client loads them with the rest of its failure code (retry-loop.ts), only when a call fails;
 * a subpath rather than the main entry keeps them out of the first load. The backoff curve
 * itself (`backoffDelayMs`) stays on the main entry.
 *
 * @example
 * ```ts
 * import { parseRetryAfterMs, retryDelay } from "@videoretalk/core/retry";
 *
 * const waitMs = parseRetryAfterMs(response.headers.get("retry-after"), Date.now());
 * const next = retryDelay(1, waitMs, Math.random); // { retry: true, delayMs } or { retry: false, retryAfterMs }
 * ```
 */
import { backoffDelayMs } from "./backoff.js";

export { BASE_DELAY_MS, type BackoffJitter, type BackoffOptions, backoffDelayMs, MAX_BACKOFF_MS } from "./backoff.js";

/**
 * `read` requests (GET) are retried on any transient failure. `create` requests (POST) may bill
 * the user, so they are retried only where no second task can result: the server refused before
 * doing work (429, 502, 503, 504), or no connection was ever made.
 */
export type RetryPolicy = "read" | "create";

/** What one attempt ended with, as far as the retry rules care. */
export type AttemptOutcome =
  | { kind: "response"; status: number }
  /** Never connected (refused, DNS failure, connect timeout): nothing reached the server. */
  | { kind: "connect-failed" }
  /** The connection dropped after the request may have been sent, or a browser fetch failed. */
  | { kind: "connection-lost" }
  /** The attempt ran past `timeoutMs`; the server may be processing it. */
  | { kind: "timeout" };

const CREATE_RETRY_STATUSES = new Set([429, 502, 503, 504]);

/** Whether an attempt that ended with `outcome` may be sent again under `policy`. */
export function isRetryable(policy: RetryPolicy, outcome: AttemptOutcome): boolean {
  switch (outcome.kind) {
    case "connect-failed":
      return true;
    case "connection-lost":
    case "timeout":
      return policy === "read";
    case "response":
      if (policy === "create") return CREATE_RETRY_STATUSES.has(outcome.status);
      return outcome.status === 408 || outcome.status === 429 || outcome.status >= 500;
  }
}

/** Longest `Retry-After` the SDK waits for by itself; a longer one surfaces as an error. */
export const MAX_RETRY_AFTER_MS = 30_000;

const HTTP_DATE_MONTH = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b/i;

/**
 * Parses `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3), relative to `nowMs`.
 * Returns `undefined` when the header is absent or unreadable.
 */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Every HTTP-date form names the month; without this, Date.parse reads "-5" or "1.5.2" as dates.
  if (!HTTP_DATE_MONTH.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** The wait before the next attempt, or why there must be none. */
export type RetryDelay = { retry: true; delayMs: number } | { retry: false; retryAfterMs: number };

/**
 * The wait before retry number `retry`: the server's `Retry-After` when it sent one (up to
 * {@link MAX_RETRY_AFTER_MS}; longer means "do not retry now"), else jittered backoff.
 */
export function retryDelay(retry: number, retryAfterMs: number | undefined, random: () => number): RetryDelay {
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > MAX_RETRY_AFTER_MS) return { retry: false, retryAfterMs };
    return { retry: true, delayMs: retryAfterMs };
  }
  return { retry: true, delayMs: backoffDelayMs(retry, random) };
}
