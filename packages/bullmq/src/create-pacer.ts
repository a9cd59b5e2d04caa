import type { Redis } from "ioredis";

// Both scripts run on Redis's own clock (every worker, every machine sees the same time), in
// fractional ms so a 20 ms spacing does not drift by rounding.
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
`;

// Reserves the next create slot of the whole queue: slot = max(now, end of a 429 pause (KEYS[3]),
// next); next = slot + interval.
// ARGV[1] > 0 is a known spacing; 0 means the spacing learnt from 429s (KEYS[2], a hash), which
// each reservation shortens by 1 % (and halves every 25th in a row) to probe for a faster pace.
// Returns the wait in ms.
const RESERVE_SLOT = `${NOW}
local interval = tonumber(ARGV[1])
if interval <= 0 then
  interval = tonumber(redis.call('HGET', KEYS[2], 'interval') or '0')
  if interval > 0 then
    local streak = redis.call('HINCRBY', KEYS[2], 'streak', 1)
    local shorter = interval * 0.99
    if streak % 25 == 0 then shorter = interval * 0.5 end
    if shorter < 0.5 then shorter = 0 end
    redis.call('HSET', KEYS[2], 'interval', tostring(shorter))
    redis.call('PEXPIRE', KEYS[2], 600000)
  end
end
local nextSlot = tonumber(redis.call('GET', KEYS[1]) or '0')
local paused = redis.call('PTTL', KEYS[3])
local slot = math.max(now + math.max(0, paused), nextSlot)
redis.call('SET', KEYS[1], tostring(slot + interval), 'PX', 60000)
return tostring(slot - now)
`;

// A 429 with Retry-After ARGV[1] ms: the learnt spacing becomes at least the Retry-After (a
// per-second limit answers "next slot in r") and 10 % longer than the one that ran into the
// limit, once per burst of 429s (not once per worker that saw it), at most ARGV[2] ms. A burst
// lasts at least ARGV[3] ms: the 429s of creates already in flight come back over a round trip,
// and growing 10 % for each (measured: ×2.6 after one burst) left the queue far below the limit.
const LEARN_FROM_429 = `${NOW}
local retryAfter = tonumber(ARGV[1])
local interval = tonumber(redis.call('HGET', KEYS[1], 'interval') or '0')
local burstUntil = tonumber(redis.call('HGET', KEYS[1], 'burstUntil') or '0')
if now >= burstUntil then interval = interval * 1.1 end
interval = math.min(tonumber(ARGV[2]), math.max(interval, retryAfter))
redis.call('HSET', KEYS[1], 'interval', tostring(interval), 'streak', '0', 'burstUntil', tostring(math.max(burstUntil, now + math.max(retryAfter, tonumber(ARGV[3])))))
redis.call('PEXPIRE', KEYS[1], 600000)
return tostring(interval)
`;

/** Longest spacing learnt from 429s (a long Retry-After only pauses; it does not set a slow pace). */
const MAX_LEARNT_INTERVAL_MS = 2_000;
/** Shortest burst of 429s (the spacing grows once per burst): about one create round trip. */
const MIN_BURST_MS = 1_000;

/**
 * Under a known rate, a 429 is a lone (stray) one only when no other 429 was seen by any worker
 * within this long: at least 1 s (a burst of 429s from creates in flight comes back over about
 * one round trip) and at least 2 create intervals. A rate set above the account's limit answers
 * 429s far more often than that, so they all pause the queue.
 */
export const LONE_429_WINDOW_MIN_MS = 1_000;

/** The queue-wide create schedule every worker shares, in Redis. */
export interface CreatePacer {
  /** Reserves this create's slot (after any queue-wide 429 pause); resolves to the wait in ms. */
  reserveSlot(): Promise<number>;
  /** Without a known rate: a 429 with this wait lengthens the shared spacing. */
  learn?: ((retryAfterMs: number) => Promise<void>) | undefined;
  /** With `createsPerSecond`: the spacing between creates in ms (the user's, not learnt). */
  knownIntervalMs?: number | undefined;
  /**
   * With `createsPerSecond`: records a 429 queue-wide and resolves to true when it is the only
   * one within the last {@link LONE_429_WINDOW_MIN_MS} (or 2 intervals, if longer).
   */
  lone429?: (() => Promise<boolean>) | undefined;
  /** What is left of the queue-wide 429 pause, in ms (0: none). */
  pauseLeft(): Promise<number>;
}

/**
 * Spaces creates across every worker of a queue. With `createsPerSecond`, one slot per
 * `1000 / createsPerSecond` ms, so a known rate limit is met without 429s. Without it, the spacing
 * is learnt from 429s like the local batch's (at least the `Retry-After`, 10 % longer per burst of
 * 429s, 1 % shorter per create) but shared by every worker, so four processes do not each send
 * at the whole account's rate.
 */
export function createPacer(
  redis: Redis,
  keys: { schedule: string; learnt: string; pause: string; recent429: string },
  createsPerSecond: number | undefined,
): CreatePacer {
  const intervalMs = createsPerSecond ? 1_000 / createsPerSecond : 0;
  const loneWindowMs = Math.ceil(Math.max(LONE_429_WINDOW_MIN_MS, 2 * intervalMs));
  return {
    knownIntervalMs: intervalMs > 0 ? intervalMs : undefined,
    // SET … GET (Redis ≥ 6.2): every 429 renews the marker; the old value says if one was recent.
    lone429: createsPerSecond
      ? async () => (await redis.set(keys.recent429, "429", "PX", loneWindowMs, "GET")) === null
      : undefined,
    pauseLeft: async () => Math.max(0, await redis.pttl(keys.pause)),
    reserveSlot: async () =>
      Math.max(
        0,
        Number(await redis.eval(RESERVE_SLOT, 3, keys.schedule, keys.learnt, keys.pause, String(intervalMs))),
      ),
    learn: createsPerSecond
      ? undefined
      : async (retryAfterMs) => {
          await redis.eval(
            LEARN_FROM_429,
            1,
            keys.learnt,
            String(retryAfterMs),
            String(MAX_LEARNT_INTERVAL_MS),
            String(MIN_BURST_MS),
          );
        },
  };
}
