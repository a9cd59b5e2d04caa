import type { Clock } from "@videoretalk/core";
import { FakeClock } from "@videoretalk/test-support";
import { describe, expect, it } from "vitest";
import { RateControl } from "../src/index.js";

const GAP_MS = 100;

/**
 * A fake clock whose timers fire `lateBy(due)` ms after they are due (`due` in ms from the
 * start), as a busy event loop fires them.
 */
function lateClock(fake: FakeClock, start: number, lateBy: (dueMs: number) => number): Clock {
  return {
    now: fake.now,
    setTimeout: (callback, ms) => fake.setTimeout(callback, ms + lateBy(fake.now() + ms - start)),
    clearTimeout: fake.clearTimeout,
  };
}

/**
 * `count` creates through a batch's RateControl paced 100 ms apart (a 429 with Retry-After
 * 100 ms), each answered at once; returns when each was let through, in ms from the start.
 */
async function sendTimes(count: number, lateBy: (dueMs: number) => number): Promise<number[]> {
  const fake = new FakeClock();
  const start = fake.now();
  const rate = new RateControl(count, lateClock(fake, start, lateBy), () => 0.5);
  rate.on429(GAP_MS);
  const sentAt: number[] = [];
  const all = Promise.all(
    Array.from({ length: count }, () =>
      rate.acquireCreate(undefined).then(() => {
        sentAt.push(fake.now() - start);
        rate.releaseCreate();
      }),
    ),
  );
  await fake.runUntilSettled(all);
  return sentAt;
}

/** Deterministic lateness in [0, maxMs) per timer. */
function jitter(maxMs: number): () => number {
  let seed = 7;
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return Math.floor((seed / 2 ** 31) * maxMs);
  };
}

/** The most creates sent in any span of `spanMs` (from one send, inclusive, to before spanMs later). */
function mostInAnySpan(sentAt: number[], spanMs: number): number {
  let most = 0;
  sentAt.forEach((from, i) => {
    const inSpan = sentAt.slice(i).findIndex((at) => at >= from + spanMs);
    most = Math.max(most, inSpan === -1 ? sentAt.length - i : inSpan);
  });
  return most;
}

describe("RateControl's create pace (an ideal schedule)", () => {
  it("a timer that fires late does not push the later creates back", async () => {
    const sentAt = await sendTimes(6, (due) => (due === 300 ? 60 : 0));
    // Measured from the last send, the pace would give 100, 200, 360, 460, 560, 660.
    expect(sentAt).toEqual([100, 200, 360, 400, 500, 600]);
  });

  it("after a stall longer than the spacing, it catches up one create at most", async () => {
    const sentAt = await sendTimes(6, (due) => (due === 300 ? 250 : 0));
    expect(sentAt).toEqual([100, 200, 550, 550, 650, 750]);
  });

  it("under jitter below the spacing, 300 creates end on schedule, never more than one ahead of the rate", async () => {
    const late = jitter(90);
    const sentAt = await sendTimes(300, () => late());
    const ideal = 100 + 299 * GAP_MS;
    expect(sentAt.at(-1)).toBeGreaterThanOrEqual(ideal);
    expect(sentAt.at(-1)).toBeLessThan(ideal + 90);
    for (const span of [GAP_MS, 5 * GAP_MS, 50 * GAP_MS]) {
      expect(mostInAnySpan(sentAt, span)).toBeLessThanOrEqual(span / GAP_MS + 1);
    }
  });

  it("under jitter beyond the spacing, no span of time holds more than one create over the rate", async () => {
    const late = jitter(250);
    const sentAt = await sendTimes(300, () => late());
    for (const span of [1, GAP_MS, 3 * GAP_MS, 10 * GAP_MS, 100 * GAP_MS]) {
      expect(mostInAnySpan(sentAt, span)).toBeLessThanOrEqual(Math.ceil(span / GAP_MS) + 1);
    }
    // It did catch up somewhere (two creates within one spacing): a pace measured from the last
    // send never would.
    expect(mostInAnySpan(sentAt, GAP_MS)).toBe(2);
  });
});
