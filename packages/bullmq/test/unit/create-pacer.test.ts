import { type RunningRedis, startRedis } from "@videoretalk/test-support/redis-server";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPacer } from "../../src/create-pacer.js";

// Two connections stand for two worker processes sharing one queue's schedule. The waits checked
// here are what Redis computed from its own clock (slots handed out), not measured durations.
// Redis's clock moves on between two calls, by however long a busy machine takes: each check
// allows exactly the Redis time that passed around the calls (`elapsed`), so no stall can fail it.
describe("the queue-wide create schedule in Redis", () => {
  let server: RunningRedis;
  const connections: Redis[] = [];
  const connect = () => {
    const redis = new Redis(server.url);
    connections.push(redis);
    return redis;
  };
  /** Redis's own clock, in ms (the scripts' `TIME`). */
  const redisNowMs = async () => {
    const [seconds, micros] = await (connections[0] ?? connect()).time();
    return Number(seconds) * 1000 + Number(micros) / 1000;
  };
  /** Runs `body` and returns its result with the Redis time that passed meanwhile. */
  const timed = async <T>(body: () => Promise<T>): Promise<{ value: T; elapsed: number }> => {
    const start = await redisNowMs();
    const value = await body();
    return { value, elapsed: (await redisNowMs()) - start };
  };
  /** `wait` is what is left of `spacing` once `elapsed` ms of Redis time passed (never below 0). */
  const expectRemainder = (wait: number, spacing: number, elapsed: number) => {
    expect(wait).toBeLessThanOrEqual(spacing);
    expect(wait).toBeGreaterThanOrEqual(Math.max(0, spacing - elapsed) - 1);
  };
  let round = 0;
  const freshKeys = () => {
    round++;
    return {
      schedule: `t${round}:next`,
      learnt: `t${round}:learnt`,
      pause: `t${round}:pause`,
      recent429: `t${round}:recent-429`,
    };
  };

  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(connections.map((redis) => redis.quit()));
    await server?.close();
  });

  it("with createsPerSecond, hands every worker slots one interval apart", async () => {
    const keys = freshKeys();
    const a = createPacer(connect(), keys, 2);
    const b = createPacer(connect(), keys, 2);
    expect(a.learn).toBeUndefined();
    const { value: waits, elapsed } = await timed(async () => [
      await a.reserveSlot(),
      await b.reserveSlot(),
      await a.reserveSlot(),
    ]);
    expect(waits[0]).toBe(0);
    expectRemainder(waits[1] ?? -1, 500, elapsed);
    expectRemainder(waits[2] ?? -1, 1_000, elapsed);
  });

  it("puts slots after a queue-wide 429 pause", async () => {
    const keys = freshKeys();
    const redis = connect();
    const { value: wait, elapsed } = await timed(async () => {
      await redis.set(keys.pause, "429", "PX", 3_000);
      return createPacer(redis, keys, 2).reserveSlot();
    });
    expectRemainder(wait, 3_000, elapsed);
  });

  it("tells what is left of the queue-wide pause (0 without one)", async () => {
    const keys = freshKeys();
    const redis = connect();
    const pacer = createPacer(redis, keys, 2);
    expect(await pacer.pauseLeft()).toBe(0);
    const { value: left, elapsed } = await timed(async () => {
      await redis.set(keys.pause, "429", "PX", 3_000);
      return pacer.pauseLeft();
    });
    expectRemainder(left, 3_000, elapsed);
  });

  it("under a known rate, only the first 429 any worker records within the window is lone", async () => {
    const keys = freshKeys();
    // One create per 1 000 s: the window (2 intervals) outlasts any stall of this machine.
    const a = createPacer(connect(), keys, 0.001);
    const b = createPacer(connect(), keys, 0.001);
    expect(a.knownIntervalMs).toBe(1_000_000);
    expect(await a.lone429?.()).toBe(true);
    expect(await b.lone429?.()).toBe(false);
    expect(await a.lone429?.()).toBe(false);
    // The marker lives for the window, so it cannot pile up keys.
    const ttl = await connect().pttl(keys.recent429);
    expect(ttl).toBeGreaterThan(1_000_000);
    expect(ttl).toBeLessThanOrEqual(2_000_000);
    expect(createPacer(connect(), freshKeys(), undefined).lone429).toBeUndefined();
  });

  it("without a known rate, sends at once until a 429, then spaces every worker by what it learnt", async () => {
    const keys = freshKeys();
    const a = createPacer(connect(), keys, undefined);
    const b = createPacer(connect(), keys, undefined);
    expect(await a.reserveSlot()).toBe(0);
    expect(await b.reserveSlot()).toBe(0);
    // Four workers see the same burst of 429s: the spacing is learnt once, not grown four times.
    await Promise.all([a, b, a, b].map((pacer) => pacer.learn?.(1_500)));
    const {
      value: [first, second],
      elapsed,
    } = await timed(async () => [await a.reserveSlot(), await b.reserveSlot()]);
    expect(first).toBe(0);
    // Learnt once: 1.5 s (the Retry-After). Grown four times it would be over 1.5 s.
    expectRemainder(second ?? -1, 1_500, elapsed);
  });

  it("caps a learnt spacing at 2 s: a long Retry-After pauses, it does not set a slow pace", async () => {
    const keys = freshKeys();
    const pacer = createPacer(connect(), keys, undefined);
    await pacer.learn?.(60_000);
    const {
      value: [first, next],
      elapsed,
    } = await timed(async () => [await pacer.reserveSlot(), await pacer.reserveSlot()]);
    expect(first).toBe(0);
    expectRemainder(next ?? -1, 2_000, elapsed);
  });
});
