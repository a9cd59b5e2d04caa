import { FakeClock } from "@videoretalk/test-support";
import { describe, expect, it } from "vitest";
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
