import { ValidationError } from "@videoretalk/core";

/**
 * Remembers which deliveries were handled, so a callback the API retries (or an attacker
 * replays) reaches `onTask` once. Implement it over Redis, a database or a KV store to dedupe
 * across processes and restarts.
 *
 * @example Redis (node-redis v4)
 * ```ts
 * const store: WebhookStore = {
 *   claim: async (key, ttlMs) => (await redis.set(`vr:${key}`, "1", { NX: true, PX: ttlMs })) === "OK",
 *   release: async (key) => {
 *     await redis.del(`vr:${key}`);
 *   },
 * };
 * ```
 */
export interface WebhookStore {
  /**
   * Atomically records `key` for `ttlMs` milliseconds. Resolves `true` if it was not already
   * recorded (the caller now owns it), `false` if it was.
   */
  claim(key: string, ttlMs: number): boolean | Promise<boolean>;
  /** Forgets `key`, so the next delivery of it is handled again (used when `onTask` throws). */
  release(key: string): void | Promise<void>;
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
 * by default in the webhook handler). Memory stays bounded: expired keys are swept as new ones
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
  // Insertion order is claim order; with one TTL per handler it is also expiry order, so the
  // sweep can stop at the first live entry.
  const expiries = new Map<string, number>();

  const sweep = (time: number) => {
    for (const [key, expiresAt] of expiries) {
      if (expiresAt > time) break;
      expiries.delete(key);
    }
  };

  return {
    claim(key, ttlMs) {
      const time = now();
      sweep(time);
      const expiresAt = expiries.get(key);
      if (expiresAt !== undefined && expiresAt > time) return false;
      expiries.delete(key);
      while (expiries.size >= maxEntries) {
        const oldest = expiries.keys().next();
        if (oldest.done) break;
        expiries.delete(oldest.value);
      }
      expiries.set(key, time + ttlMs);
      return true;
    },
    release(key) {
      expiries.delete(key);
    },
  };
}
