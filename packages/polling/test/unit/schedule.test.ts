import type { CreatedTask, Task } from "@videoretalk/core";
import { describe, expect, it } from "vitest";
import * as entry from "../../src/index.js";
import * as scheduleEntry from "../../src/schedule.js";
import { nextPollDelayMs, type PollObservation, predictCompletion } from "../../src/schedule.js";
import { task } from "./harness.js";

const T0 = 1_000_000;
const half = () => 0.5; // no jitter: 1 + 0.1 × (2 × 0.5 − 1) = 1

function created(estimatedSeconds?: number): CreatedTask {
  return {
    id: "task-unified-1775200000-abcd1234",
    object: "video.generation.task",
    status: "pending",
    progress: 0,
    ...(estimatedSeconds === undefined ? {} : { task_info: { can_cancel: false, estimated_time: estimatedSeconds } }),
  };
}

/** Emulator-like progress of a task lasting `durationS` (no queue): 10 → 80 while processing. */
function linearRead(durationS: number, atS: number, estimatedSeconds?: number): PollObservation {
  const extra: Partial<Task> =
    estimatedSeconds === undefined ? {} : { task_info: { can_cancel: false, estimated_time: estimatedSeconds } };
  return {
    at: T0 + atS * 1000,
    task: task("processing", Math.floor(10 + (70 * atS) / durationS), extra),
  };
}

/** A small seeded PRNG for property loops. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe("nextPollDelayMs", () => {
  it("asks for minIntervalMs when nothing has been read yet", () => {
    expect(nextPollDelayMs([])).toBe(1000);
    expect(nextPollDelayMs([], { minIntervalMs: 2500 })).toBe(2500);
  });

  it("takes a quick first look after the create response, whatever the estimate", () => {
    for (const estimate of [30, 90, 600, undefined]) {
      expect(nextPollDelayMs([{ at: T0, task: created(estimate) }], { random: half })).toBe(2000);
    }
    // A task read at 0 % while queued is just as fresh.
    expect(nextPollDelayMs([{ at: T0, task: task("pending", 0) }], { random: half })).toBe(2000);
  });

  it("waits long while completion is far away, and densely only near the predicted end", () => {
    const durationS = 120;
    const observations: PollObservation[] = [
      { at: T0, task: created(durationS) },
      { at: T0 + 2000, task: task("pending", 1, { task_info: { estimated_time: durationS } }) },
    ];
    const early = nextPollDelayMs(observations, { random: half });
    expect(early).toBeGreaterThan(30_000);

    const mid = [...observations, linearRead(durationS, 60, durationS)];
    const midDelay = nextPollDelayMs(mid, { random: half });
    expect(midDelay).toBeGreaterThan(20_000);
    expect(T0 + 60_000 + midDelay).toBeLessThan(T0 + durationS * 1000);

    const near = [...mid, linearRead(durationS, 114, durationS)];
    const nearDelay = nextPollDelayMs(near, { random: half });
    expect(nearDelay).toBeLessThan(midDelay / 4);
    // The next read lands within a few seconds of the real end (120 s).
    expect(Math.abs(114_000 + nearDelay - durationS * 1000)).toBeLessThanOrEqual(3000);
  });

  it("never returns less than minIntervalMs nor more than maxIntervalMs", () => {
    const random = prng(42);
    const bounds = [
      { minIntervalMs: 1000, maxIntervalMs: 60_000 },
      { minIntervalMs: 5000, maxIntervalMs: 8000 },
      { minIntervalMs: 0, maxIntervalMs: 3000 },
      { minIntervalMs: 4000, maxIntervalMs: 4000 },
    ];
    for (let i = 0; i < 500; i++) {
      const count = 1 + Math.floor(random() * 6);
      const observations: PollObservation[] = [];
      let at = T0;
      let progress = 0;
      for (let k = 0; k < count; k++) {
        at += Math.floor(random() * 120_000);
        progress = Math.min(99, progress + Math.floor(random() * 40));
        const estimate = random() < 0.5 ? Math.floor(random() * 600) : undefined;
        observations.push({
          at,
          task: task(random() < 0.2 ? "queued" : "processing", progress, {
            ...(estimate === undefined ? {} : { task_info: { estimated_time: estimate } }),
          }),
        });
      }
      for (const b of bounds) {
        const delay = nextPollDelayMs(observations, { ...b, random });
        expect(delay).toBeGreaterThanOrEqual(b.minIntervalMs);
        expect(delay).toBeLessThanOrEqual(b.maxIntervalMs);
        expect(Number.isInteger(delay)).toBe(true);
      }
    }
  });

  it("applies the bounds to the first look too", () => {
    const first = [{ at: T0, task: created(90) }];
    expect(nextPollDelayMs(first, { minIntervalMs: 5000, random: half })).toBe(5000);
    expect(nextPollDelayMs(first, { maxIntervalMs: 1500, random: half })).toBe(1500);
  });

  it("jitters by at most ±10 %, driven by `random`", () => {
    const observations: PollObservation[] = [
      { at: T0, task: created(60) },
      { at: T0 + 2000, task: task("pending", 1) },
    ];
    const base = nextPollDelayMs(observations, { random: half });
    const low = nextPollDelayMs(observations, { random: () => 0 });
    const high = nextPollDelayMs(observations, { random: () => 0.999_999 });
    expect(low).toBeLessThan(base);
    expect(high).toBeGreaterThan(base);
    expect(low).toBeGreaterThanOrEqual(Math.floor(base * 0.9));
    expect(high).toBeLessThanOrEqual(Math.ceil(base * 1.1));
    // Pure: the same input gives the same answer.
    expect(nextPollDelayMs(observations, { random: () => 0.25 })).toBe(
      nextPollDelayMs(observations, { random: () => 0.25 }),
    );
  });

  it("backs off geometrically when the task is long overdue and not moving", () => {
    const observations: PollObservation[] = [{ at: T0, task: created(30) }];
    const delays: number[] = [];
    let at = T0 + 2000;
    for (let i = 0; i < 40; i++) {
      observations.push({ at, task: task("processing", 50) });
      const delay = nextPollDelayMs(observations, { random: half });
      delays.push(delay);
      at += delay;
    }
    // Non-decreasing once overdue, and it reaches the cap instead of reading every second.
    for (let i = 3; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1] ?? 0);
    expect(delays.at(-1)).toBe(60_000);
    expect(delays.length).toBe(40);
    expect(at - T0).toBeGreaterThan(20 * 60_000);
  });
});

describe("predictCompletion", () => {
  it("anchors estimated_time on the local time it was first seen, never on `created`", () => {
    const a = predictCompletion([{ at: T0, task: { ...created(90), created: 1 } }]);
    const b = predictCompletion([{ at: T0, task: { ...created(90), created: 9_999_999_999 } }]);
    expect(a.mean).toBe(T0 + 90_000);
    expect(b.mean).toBe(a.mean);
  });

  it("keeps the anchor while later reads echo the same value", () => {
    const echo = predictCompletion([
      { at: T0, task: created(90) },
      { at: T0 + 30_000, task: task("pending", 5, { task_info: { estimated_time: 90 } }) },
    ]);
    // Progress 0 → 5 over the queue says little; the estimate dominates and is not pushed back.
    expect(Math.abs(echo.mean - (T0 + 90_000))).toBeLessThan(10_000);
  });

  it("re-anchors on a new estimated_time as seconds left from that read", () => {
    const observations: PollObservation[] = [
      { at: T0, task: created(90) },
      { at: T0 + 40_000, task: task("pending", 0, { task_info: { estimated_time: 120 } }) },
    ];
    const moved = predictCompletion(observations);
    expect(moved.mean).toBe(T0 + 40_000 + 120_000);
    const firstAnchor = predictCompletion(observations.slice(0, 1));
    expect(nextPollDelayMs(observations, { random: half })).toBeGreaterThan(
      nextPollDelayMs([...observations.slice(0, 1), { at: T0 + 40_000, task: task("pending", 0) }], { random: half }),
    );
    expect(firstAnchor.mean).toBe(T0 + 90_000);
  });

  it("falls back to the progress rate, with a 90 s prior when there is no estimate", () => {
    const prior = predictCompletion([{ at: T0, task: task("pending", 0) }]);
    expect(prior.mean).toBe(T0 + 90_000);

    // 10 % at 10 s and 45 % at 60 s: 0.7 %/s, so 80 % is reached at about 109 s.
    const fromRate = predictCompletion([
      { at: T0, task: task("pending", 0) },
      { at: T0 + 10_000, task: task("processing", 10) },
      { at: T0 + 60_000, task: task("processing", 45) },
    ]);
    expect(Math.abs(fromRate.mean - (T0 + 109_286))).toBeLessThan(3000);
    expect(fromRate.sd).toBeLessThan(prior.sd / 4);
  });

  it("trusts the progress rate over a wrong estimate once the rate is well measured", () => {
    // Estimated 60 s, but progress shows a 200 s task.
    const observations: PollObservation[] = [{ at: T0, task: created(60) }];
    for (const atS of [2, 50, 100]) observations.push(linearRead(200, atS, 60));
    const prediction = predictCompletion(observations);
    expect(Math.abs(prediction.mean - (T0 + 200_000))).toBeLessThan(15_000);
  });
});

describe("the ./schedule subpath", () => {
  it("has the same default bounds as the package entry (they are written out in both)", () => {
    expect(scheduleEntry.DEFAULT_MIN_INTERVAL_MS).toBe(entry.DEFAULT_MIN_INTERVAL_MS);
    expect(scheduleEntry.DEFAULT_MAX_INTERVAL_MS).toBe(entry.DEFAULT_MAX_INTERVAL_MS);
    expect([entry.DEFAULT_MIN_INTERVAL_MS, entry.DEFAULT_MAX_INTERVAL_MS]).toEqual([1_000, 60_000]);
  });

  it("is where the schedule's functions are: the entry no longer exports them", () => {
    expect(typeof scheduleEntry.nextPollDelayMs).toBe("function");
    expect(typeof scheduleEntry.predictCompletion).toBe("function");
    expect(entry).not.toHaveProperty("nextPollDelayMs");
    expect(entry).not.toHaveProperty("predictCompletion");
  });
});
