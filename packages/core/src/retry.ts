/**
 * Pure retry decisions: which outcomes may be retried, and how long to wait before the next
 * attempt. No timers here, so every rule is unit-tested directly.
 */

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

/** First backoff step, in ms. */
export const BASE_DELAY_MS = 500;
/** Largest backoff step, in ms. */
export const MAX_BACKOFF_MS = 8_000;
/** Longest `Retry-After` the SDK waits for by itself; a longer one surfaces as an error. */
export const MAX_RETRY_AFTER_MS = 30_000;

/** How a backoff step is randomised; see {@link backoffDelayMs}. */
export type BackoffJitter = "full" | "equal" | "none";

/** Shape of a backoff curve; every field is optional and defaults to the SDK's own retries. */
export interface BackoffOptions {
  /** First step, in ms (the ceiling before the first retry). Default {@link BASE_DELAY_MS} (500). */
  baseMs?: number | undefined;
  /** Largest step, in ms. Default {@link MAX_BACKOFF_MS} (8 000). */
  maxMs?: number | undefined;
  /**
   * `"full"` (default): a uniform draw from 0 to the step. `"equal"`: half the step fixed plus a
   * uniform draw over the other half, so a wait never collapses to 0. `"none"`: the step itself.
   */
  jitter?: BackoffJitter | undefined;
}

/**
 * Exponential backoff: the step is `baseMs × 2^(retry−1)` capped at `maxMs`, randomised by
 * `jitter`. `retry` counts from 1 (the wait before the first retry). With no options this is
 * the SDK's own retry wait: full jitter over 0.5 s doubling, capped at 8 s. One formula for the
 * whole SDK, so polling, downloads and React differ only in the parameters.
 *
 * @example
 * ```ts
 * import { backoffDelayMs } from "@videoretalk/core";
 * backoffDelayMs(3, Math.random); // 0–2 000 ms
 * backoffDelayMs(2, Math.random, { baseMs: 1_000, maxMs: 60_000, jitter: "equal" }); // 1 000–2 000 ms
 * ```
 */
export function backoffDelayMs(retry: number, random: () => number, options: BackoffOptions = {}): number {
  const baseMs = Math.max(0, options.baseMs ?? BASE_DELAY_MS);
  const maxMs = Math.max(0, options.maxMs ?? MAX_BACKOFF_MS);
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  switch (options.jitter ?? "full") {
    case "full":
      return Math.floor(random() * ceiling);
    case "equal":
      return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
    case "none":
      return ceiling;
  }
}

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
