/**
 * The backoff curve shared by the SDK's own retries and the loops of the other packages
 * (polling, batch, react): exponential steps with jitter. Pure, so every rule is unit-tested.
 */

/** First backoff step, in ms. */
export const BASE_DELAY_MS = 500;
/** Largest backoff step, in ms. */
export const MAX_BACKOFF_MS = 8_000;

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
