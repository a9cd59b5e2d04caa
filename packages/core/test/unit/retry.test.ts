import { describe, expect, it } from "vitest";
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  backoffDelayMs as backoffFromEntry,
  isTransientError,
  RequestAbortedError,
  type RetryPolicy,
  ValidationError,
} from "../../src/index.js";
import {
  BASE_DELAY_MS,
  backoffDelayMs,
  isRetryable,
  MAX_BACKOFF_MS,
  MAX_RETRY_AFTER_MS,
  parseRetryAfterMs,
  retryDelay,
} from "../../src/retry.js";

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const response = (status: number) => ({ kind: "response", status }) as const;

describe("isRetryable", () => {
  const readRetried = [408, 429, 500, 501, 502, 503, 504, 520, 599];
  const readNotRetried = [200, 201, 204, 301, 304, 400, 401, 402, 403, 404, 405, 409, 410, 413, 422, 425, 451];
  const createRetried = [429, 502, 503, 504];
  const createNotRetried = [200, 400, 401, 402, 403, 404, 408, 409, 413, 422, 500, 501, 505, 520, 599];

  it.each(readRetried)("read: retries HTTP %i", (status) => {
    expect(isRetryable("read", response(status))).toBe(true);
  });
  it.each(readNotRetried)("read: does not retry HTTP %i", (status) => {
    expect(isRetryable("read", response(status))).toBe(false);
  });
  it.each(createRetried)("create: retries HTTP %i (refused before any work)", (status) => {
    expect(isRetryable("create", response(status))).toBe(true);
  });
  it.each(createNotRetried)("create: never retries HTTP %i", (status) => {
    expect(isRetryable("create", response(status))).toBe(false);
  });

  it.each<[RetryPolicy, "connect-failed" | "connection-lost" | "timeout", boolean]>([
    ["read", "connect-failed", true],
    ["read", "connection-lost", true],
    ["read", "timeout", true],
    ["create", "connect-failed", true],
    ["create", "connection-lost", false],
    ["create", "timeout", false],
  ])("%s: outcome %s → retry %s", (policy, kind, expected) => {
    expect(isRetryable(policy, { kind })).toBe(expected);
  });

  it("never retries 400/401/402/403/404 under either policy", () => {
    for (const policy of ["read", "create"] as const) {
      for (const status of [400, 401, 402, 403, 404]) expect(isRetryable(policy, response(status))).toBe(false);
    }
  });
});

describe("backoffDelayMs", () => {
  it("doubles from 0.5 s and caps at 8 s (random just below 1)", () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 10].map((retry) => backoffDelayMs(retry, () => 0.999));
    expect(delays).toEqual([499, 999, 1998, 3996, 7992, 7992, 7992, 7992]);
    expect(BASE_DELAY_MS).toBe(500);
    expect(MAX_BACKOFF_MS).toBe(8_000);
  });

  it("uses full jitter: random 0 means no wait at all", () => {
    for (const retry of [1, 2, 5, 20]) expect(backoffDelayMs(retry, () => 0)).toBe(0);
  });

  it("scales linearly with the random draw", () => {
    expect(backoffDelayMs(1, () => 0.5)).toBe(250);
    expect(backoffDelayMs(3, () => 0.25)).toBe(500);
  });

  it("never exceeds the step ceiling", () => {
    for (let retry = 1; retry <= 12; retry++) {
      const ceiling = Math.min(8_000, 500 * 2 ** (retry - 1));
      const delay = backoffDelayMs(retry, () => 0.999999);
      expect(delay).toBeLessThan(ceiling);
      expect(delay).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("backoffDelayMs options", () => {
  it("is reachable from the package entry with the same defaults", () => {
    expect(backoffFromEntry(4, () => 0.5)).toBe(backoffDelayMs(4, () => 0.5));
    expect(backoffFromEntry(4, () => 0.5)).toBe(2_000);
  });

  it("takes its own base and cap", () => {
    const delays = [1, 2, 3, 4, 5].map((retry) => backoffDelayMs(retry, () => 0.5, { baseMs: 250, maxMs: 4_000 }));
    expect(delays).toEqual([125, 250, 500, 1_000, 2_000]);
    expect(backoffDelayMs(9, () => 0.5, { baseMs: 250, maxMs: 4_000 })).toBe(2_000);
  });

  it("equal jitter keeps half the step fixed", () => {
    const opts = { baseMs: 1_000, maxMs: 60_000, jitter: "equal" } as const;
    expect(backoffDelayMs(1, () => 0, opts)).toBe(500);
    expect(backoffDelayMs(3, () => 0, opts)).toBe(2_000);
    expect(backoffDelayMs(3, () => 0.5, opts)).toBe(3_000);
    expect(backoffDelayMs(20, () => 0, opts)).toBe(30_000);
  });

  it("no jitter returns the step itself and ignores the random source", () => {
    const random = () => {
      throw new Error("must not draw");
    };
    expect(
      [1, 2, 6, 7].map((retry) => backoffDelayMs(retry, random, { baseMs: 2_000, maxMs: 30_000, jitter: "none" })),
    ).toEqual([2_000, 4_000, 30_000, 30_000]);
  });
});

describe("isTransientError", () => {
  it.each([408, 429, 500, 502, 503, 504, 599])("treats HTTP %i as transient", (status) => {
    expect(isTransientError(new APIError("x", { status }))).toBe(true);
  });
  it.each([400, 401, 402, 403, 404, 409, 422])("treats HTTP %i as final", (status) => {
    expect(isTransientError(new APIError("x", { status }))).toBe(false);
  });
  it("treats connection failures and timeouts as transient", () => {
    expect(isTransientError(new APIConnectionError("reset"))).toBe(true);
    expect(isTransientError(new APITimeoutError("slow"))).toBe(true);
  });
  it("treats aborts, validation errors and foreign errors as final", () => {
    expect(isTransientError(new RequestAbortedError("stop"))).toBe(false);
    expect(isTransientError(new ValidationError("taskId", "bad"))).toBe(false);
    expect(isTransientError(new TypeError("fetch failed"))).toBe(false);
    expect(isTransientError({ status: 503 })).toBe(false);
    expect(isTransientError(undefined)).toBe(false);
  });
});

describe("parseRetryAfterMs", () => {
  it("reads delay-seconds", () => {
    expect(parseRetryAfterMs("0", NOW)).toBe(0);
    expect(parseRetryAfterMs("3", NOW)).toBe(3_000);
    expect(parseRetryAfterMs(" 12 ", NOW)).toBe(12_000);
    expect(parseRetryAfterMs("120", NOW)).toBe(120_000);
  });

  it("reads decimal seconds", () => {
    expect(parseRetryAfterMs("1.5", NOW)).toBe(1_500);
    expect(parseRetryAfterMs("0.25", NOW)).toBe(250);
  });

  it("reads an HTTP date relative to now", () => {
    expect(parseRetryAfterMs("Wed, 25 Nov 2026 12:00:05 GMT", NOW)).toBe(5_000);
    expect(parseRetryAfterMs(new Date(NOW + 42_000).toUTCString(), NOW)).toBe(42_000);
    // The obsolete RFC 850 form is still an HTTP-date (RFC 9110 §5.6.7).
    expect(parseRetryAfterMs("Wednesday, 25-Nov-26 12:00:07 GMT", NOW)).toBe(7_000);
  });

  it("treats an HTTP date in the past as no wait", () => {
    expect(parseRetryAfterMs("Wed, 25 Nov 2026 11:59:00 GMT", NOW)).toBe(0);
  });

  it.each([null, undefined, "", "   ", "soon", "5 s", "1e3", "0x10", "Infinity", "-5", "1.5.2", "Mon, 99 Foo 2026"])(
    "returns undefined for %j",
    (value) => {
      expect(parseRetryAfterMs(value, NOW)).toBeUndefined();
    },
  );
});

describe("retryDelay", () => {
  it("honours a Retry-After up to 30 s exactly, ignoring jitter", () => {
    expect(retryDelay(1, 0, () => 0.9)).toEqual({ retry: true, delayMs: 0 });
    expect(retryDelay(1, 2_000, () => 0.9)).toEqual({ retry: true, delayMs: 2_000 });
    expect(retryDelay(3, 30_000, () => 0)).toEqual({ retry: true, delayMs: 30_000 });
    expect(MAX_RETRY_AFTER_MS).toBe(30_000);
  });

  it("refuses to wait longer than 30 s and reports the requested wait", () => {
    expect(retryDelay(1, 30_001, () => 0.5)).toEqual({ retry: false, retryAfterMs: 30_001 });
    expect(retryDelay(2, 3_600_000, () => 0.5)).toEqual({ retry: false, retryAfterMs: 3_600_000 });
  });

  it("falls back to jittered backoff without Retry-After", () => {
    expect(retryDelay(1, undefined, () => 0.5)).toEqual({ retry: true, delayMs: 250 });
    expect(retryDelay(2, undefined, () => 0.999)).toEqual({ retry: true, delayMs: 999 });
    expect(retryDelay(9, undefined, () => 0.999)).toEqual({ retry: true, delayMs: 7_992 });
  });
});
