import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPacer } from "../../src/create-pacer.js";
import { type RunningRedis, startRedis } from "../support/redis-server.mjs";

// Two connections stand for two worker processes sharing one queue's schedule. The waits checked
// here are what Redis computed from its own clock (slots handed out), not measured durations.
describe("the queue-wide create schedule in Redis", () => {
  let server: RunningRedis;
  const connections: Redis[] = [];
  const connect = () => {
    const redis = new Redis(server.url);
    connections.push(redis);
    return redis;
  };
  let round = 0;
  const freshKeys = () => {
    round++;
    return { schedule: `t${round}:next`, learnt: `t${round}:learnt`, pause: `t${round}:pause` };
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
    const waits = [await a.reserveSlot(), await b.reserveSlot(), await a.reserveSlot()];
    expect(waits[0]).toBe(0);
    expect(waits[1]).toBeGreaterThan(0);
    expect(waits[1]).toBeLessThanOrEqual(500);
    expect(waits[2]).toBeGreaterThan(500);
    expect(waits[2]).toBeLessThanOrEqual(1_000);
  });

  it("puts slots after a queue-wide 429 pause", async () => {
    const keys = freshKeys();
    const redis = connect();
    await redis.set(keys.pause, "429", "PX", 3_000);
    const wait = await createPacer(redis, keys, 2).reserveSlot();
    expect(wait).toBeGreaterThan(2_000);
    expect(wait).toBeLessThanOrEqual(3_000);
  });

  it("without a known rate, sends at once until a 429, then spaces every worker by what it learnt", async () => {
    const keys = freshKeys();
    const a = createPacer(connect(), keys, undefined);
    const b = createPacer(connect(), keys, undefined);
    expect(await a.reserveSlot()).toBe(0);
    expect(await b.reserveSlot()).toBe(0);
    // Four workers see the same burst of 429s: the spacing is learnt once, not grown four times.
    await Promise.all([a, b, a, b].map((pacer) => pacer.learn?.(1_500)));
    const first = await a.reserveSlot();
    const second = await b.reserveSlot();
    expect(first).toBe(0);
    expect(second).toBeGreaterThan(1_000);
    expect(second).toBeLessThanOrEqual(1_500);
  });

  it("caps a learnt spacing at 2 s: a long Retry-After pauses, it does not set a slow pace", async () => {
    const keys = freshKeys();
    const pacer = createPacer(connect(), keys, undefined);
    await pacer.learn?.(60_000);
    expect(await pacer.reserveSlot()).toBe(0);
    const next = await pacer.reserveSlot();
    expect(next).toBeGreaterThan(1_000);
    expect(next).toBeLessThanOrEqual(2_000);
  });
});
