import type { Redis } from "ioredis";

// Reserves the next create slot of the whole queue on Redis's own clock (every worker, every
// machine sees the same time): slot = max(now, next); next = slot + interval. Returns the wait.
const RESERVE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local nextSlot = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, nextSlot)
redis.call('SET', KEYS[1], tostring(slot + interval), 'PX', 60000)
return slot - now
`;

/**
 * Spaces creates across every worker of a queue to `createsPerSecond` (a shared schedule in
 * Redis, one slot per `1000 / createsPerSecond` ms), so a known rate limit is met without 429s.
 * Resolves to how long the caller must wait for its slot, in ms.
 */
export function createPacer(redis: Redis, key: string, createsPerSecond: number): () => Promise<number> {
  const intervalMs = Math.max(1, Math.round(1_000 / createsPerSecond));
  return async () => Number(await redis.eval(RESERVE_SLOT, 1, key, String(intervalMs)));
}
