import { setMaxListeners } from "node:events";
import { FakeClock, flushMicrotasks } from "@videoretalk/test-support";
import { describe, expect, it, vi } from "vitest";
import { CreateWindow } from "../src/index.js";

describe("CreateWindow (the create window shared by the local batch and @videoretalk/bullmq)", () => {
  it("with bounds of max/max it is a fixed cap: no slow start, no halving, but a 429 still closes it", async () => {
    const clock = new FakeClock();
    const window = new CreateWindow(6, clock, () => 0.5, { initial: 6, min: 6 });
    expect(window.size).toBe(6);
    expect(window.rateLimited(500)).toBe(500);
    expect(window.size).toBe(6);
    expect(window.closed).toBe(true);
    let passed = false;
    const acquired = window.acquire(undefined).then(() => {
      passed = true;
    });
    await clock.advance(499);
    expect(passed).toBe(false);
    await clock.advance(1);
    await acquired;
    expect(passed).toBe(true);
    expect(window.closed).toBe(false);
  });

  it("waits for room and for the caller's notBefore, re-read after each wait", async () => {
    const clock = new FakeClock();
    const window = new CreateWindow(1, clock, () => 0.5);
    await window.acquire(undefined);
    let notBefore = 0;
    let passedAt: number | undefined;
    const second = window
      .acquire(undefined, () => notBefore)
      .then(() => {
        passedAt = clock.now();
      });
    const start = clock.now();
    notBefore = start + 1_000;
    window.release();
    await clock.advance(999);
    expect(passedAt).toBeUndefined();
    await clock.advance(1);
    await second;
    expect(passedAt).toBe(start + 1_000);
  });
});

/** A window with room for `size` creates at once that never grows (no accepted() calls here). */
function fixedWindow(clock: FakeClock, size: number): CreateWindow {
  return new CreateWindow(size, clock, () => 0.5, { initial: size, min: size });
}

describe("CreateWindow's line of waiting creates", () => {
  it("lets creates through first in, first out, one per release", async () => {
    const clock = new FakeClock();
    const window = fixedWindow(clock, 1);
    await window.acquire(undefined);
    const order: number[] = [];
    const waiting = Array.from({ length: 5 }, (_, i) => window.acquire(undefined).then(() => order.push(i)));
    for (let i = 0; i < 5; i++) {
      await flushMicrotasks();
      expect(order).toEqual([0, 1, 2, 3, 4].slice(0, i));
      window.release();
    }
    await Promise.all(waiting);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it("with 1,000 creates waiting for a pace, only the first waits on a timer, and each joins the signal once", async () => {
    const clock = new FakeClock();
    const window = fixedWindow(clock, 1_000);
    const signal = new AbortController().signal;
    setMaxListeners(0, signal); // as runBatch does for its run's signal
    const listen = vi.spyOn(signal, "addEventListener");
    const gapMs = 10;
    let nextAt = clock.now();
    const passedAt: number[] = [];
    const waiting = Array.from({ length: 1_000 }, () =>
      window
        .acquire(
          signal,
          () => nextAt,
          (now) => {
            nextAt = now + gapMs;
          },
        )
        .then(() => {
          passedAt.push(clock.now());
          window.release();
        }),
    );
    await flushMicrotasks();
    expect(passedAt).toHaveLength(1);
    let timersArmed = clock.scheduled.length;
    while (passedAt.length < 1_000) {
      expect(clock.pendingTimers()).toBe(1);
      const before = passedAt.length;
      await clock.advance(gapMs);
      expect(passedAt.length).toBe(before + 1);
      // One create, one timer (for the next in line, if any): the others waiting re-armed nothing.
      expect(clock.scheduled.length - timersArmed).toBe(passedAt.length < 1_000 ? 1 : 0);
      timersArmed = clock.scheduled.length;
    }
    await Promise.all(waiting);
    expect(clock.pendingTimers()).toBe(0);
    expect((passedAt.at(-1) ?? 0) - (passedAt[0] ?? 0)).toBe(999 * gapMs);
    expect(listen).toHaveBeenCalledTimes(1_000);
  });

  it("an aborted waiter leaves the line alone, with its own reason; the others keep their order", async () => {
    const clock = new FakeClock();
    const window = fixedWindow(clock, 1);
    await window.acquire(undefined);
    const controllers = [0, 1, 2, 3].map(() => new AbortController());
    const outcome: string[] = [];
    const waiting = controllers.map((controller, i) =>
      window.acquire(controller.signal).then(
        () => outcome.push(`passed ${i}`),
        (reason: unknown) => outcome.push(`aborted ${i}: ${String(reason)}`),
      ),
    );
    controllers[2]?.abort("job 2 cancelled");
    await flushMicrotasks();
    expect(outcome).toEqual(["aborted 2: job 2 cancelled"]);
    for (let i = 0; i < 3; i++) window.release();
    await Promise.all(waiting);
    expect(outcome).toEqual(["aborted 2: job 2 cancelled", "passed 0", "passed 1", "passed 3"]);
  });

  it("when the first in line aborts while it waits for the pace, the next takes its place on one timer", async () => {
    const clock = new FakeClock();
    const window = fixedWindow(clock, 4);
    const start = clock.now();
    const first = new AbortController();
    const passed: string[] = [];
    const notBefore = () => start + 1_000;
    const a = window.acquire(first.signal, notBefore).catch(() => passed.push("a aborted"));
    const b = window.acquire(undefined, () => start + 500).then(() => passed.push(`b at ${clock.now() - start}`));
    await flushMicrotasks();
    expect(clock.pendingTimers()).toBe(1);
    first.abort();
    await flushMicrotasks();
    // The timer armed for a (1,000 ms) gave way to one for b (500 ms).
    expect(clock.pendingTimers()).toBe(1);
    expect(clock.nextTimerInMs()).toBe(500);
    await clock.advance(500);
    await Promise.all([a, b]);
    expect(passed).toEqual(["a aborted", "b at 500"]);
  });

  it("aborting the run's shared signal rejects every waiter and leaves no timer behind", async () => {
    const clock = new FakeClock();
    const window = fixedWindow(clock, 2);
    window.rateLimited(5_000);
    const run = new AbortController();
    setMaxListeners(0, run.signal);
    const results = Array.from({ length: 50 }, () =>
      window.acquire(run.signal).then(
        () => "passed",
        () => "aborted",
      ),
    );
    await flushMicrotasks();
    expect(clock.pendingTimers()).toBe(1);
    run.abort(new Error("stopped"));
    expect(await Promise.all(results)).toEqual(Array(50).fill("aborted"));
    expect(clock.pendingTimers()).toBe(0);
    await expect(window.acquire(run.signal)).rejects.toThrow("stopped");
  });
});
