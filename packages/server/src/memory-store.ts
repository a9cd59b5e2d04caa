import { ValidationError } from "@videoretalk/core";

/**
 * Remembers which deliveries are being handled and which were handled, so a callback the API
 * retries (or an attacker replays) reaches `onTask` once. Implement it over Redis, a database or
 * a KV store to dedupe across processes and restarts.
 *
 * A delivery first takes a short in-flight claim (`claim(key, claimTtlMs)`); only after `onTask`
 * succeeded is it recorded as delivered for 24 h (`complete(key, DEDUPE_TTL_MS)`). If `onTask`
 * fails the claim is released, and if even that fails the claim expires, so the API's next retry
 * still reaches `onTask`.
 *
 * @example Redis (node-redis v4)
 * ```ts
 * const store: WebhookStore = {
 *   claim: async (key, ttlMs) => (await redis.set(`vr:${key}`, "claimed", { NX: true, PX: ttlMs })) === "OK",
 *   complete: async (key, ttlMs) => {
 *     await redis.set(`vr:${key}`, "delivered", { PX: ttlMs });
 *   },
 *   isDelivered: async (key) => (await redis.get(`vr:${key}`)) === "delivered",
 *   release: async (key) => {
 *     await redis.del(`vr:${key}`);
 *   },
 * };
 * ```
 */
export interface WebhookStore {
  /**
   * Atomically records `key` for `ttlMs` milliseconds. Resolves `true` if it was not already
   * recorded (the caller now owns it), `false` if it was (claimed or delivered).
   */
  claim(key: string, ttlMs: number): boolean | Promise<boolean>;
  /** Forgets `key`, so the next delivery of it is handled again (used when `onTask` throws). */
  release(key: string): void | Promise<void>;
  /**
   * Records `key` as delivered for `ttlMs`, replacing its in-flight claim. Optional: without
   * it the handler calls `release(key)` then `claim(key, ttlMs)`, which leaves a short gap in
   * which a concurrent copy could be handled again.
   */
  complete?(key: string, ttlMs: number): void | Promise<void>;
  /**
   * Whether `key` is recorded as delivered (not merely claimed). Optional: without it a copy
   * that finds the key taken is always answered 409 (try again), since it cannot tell a
   * finished delivery from one still running; with it a finished one is answered 200.
   */
  isDelivered?(key: string): boolean | Promise<boolean>;
}

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Most keys kept; the oldest are dropped beyond it. Default 100 000 (roughly 10 MB). */
  maxEntries?: number | undefined;
  /** Time source in ms (tests pass a fake one). Default `Date.now`. */
  now?: (() => number) | undefined;
}

/** Default number of keys an in-memory store keeps. */
export const DEFAULT_MAX_STORE_ENTRIES = 100_000;

/**
 * An in-process {@link WebhookStore}: exactly-once per process for as long as a key lives (24 h
 * after a successful delivery, the in-flight claim TTL while `onTask` runs). Memory stays bounded: expired keys are swept as new ones
 * arrive, and past `maxEntries` the oldest are dropped. Use a shared store when you run more
 * than one instance.
 *
 * @example
 * ```ts
 * const handler = createWebhookHandler({ secret, onTask, store: createMemoryStore({ maxEntries: 10_000 }) });
 * ```
 * @throws {ValidationError} with `field: "maxEntries"` for a count below 1.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): WebhookStore {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_STORE_ENTRIES;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new ValidationError("maxEntries", `maxEntries must be a whole number ≥ 1, got ${String(maxEntries)}.`);
  }
  const now = options.now ?? Date.now;
  // Insertion order is roughly expiry order (claims and completions each move a key to the
  // end), so the sweep stops at the first live entry; a stale entry behind a live one is
  // still ignored by every read and dropped by the size bound.
  const entries = new Map<string, { expiresAt: number; delivered: boolean }>();

  const sweep = (time: number) => {
    for (const [key, entry] of entries) {
      if (entry.expiresAt > time) break;
      entries.delete(key);
    }
  };
  const live = (key: string, time: number) => {
    const entry = entries.get(key);
    return entry !== undefined && entry.expiresAt > time ? entry : undefined;
  };
  const record = (key: string, ttlMs: number, delivered: boolean, time: number) => {
    entries.delete(key);
    while (entries.size >= maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done) break;
      entries.delete(oldest.value);
    }
    entries.set(key, { expiresAt: time + ttlMs, delivered });
  };

  return {
    claim(key, ttlMs) {
      const time = now();
      sweep(time);
      if (live(key, time)) return false;
      record(key, ttlMs, false, time);
      return true;
    },
    complete(key, ttlMs) {
      const time = now();
      sweep(time);
      record(key, ttlMs, true, time);
    },
    isDelivered(key) {
      return live(key, now())?.delivered === true;
    },
    release(key) {
      entries.delete(key);
    },
  };
}
