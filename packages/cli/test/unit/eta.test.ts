import type { Task } from "@videoretalk/core";
import { describe, expect, it } from "vitest";
import { createEtaTracker, formatRemaining } from "../../src/eta.js";

const ID = "task-unified-1775200000-eta00001";
function task(status: string, progress: number, estimatedS?: number): Task {
  return {
    id: ID,
    status: status as Task["status"],
    progress,
    ...(estimatedS === undefined ? {} : { task_info: { estimated_time: estimatedS } }),
  };
}

describe("createEtaTracker", () => {
  it("counts down from the create response's estimated_time and moves the bar between reads", () => {
    let now = 1_000_000;
    const eta = createEtaTracker(() => now);
    expect(eta.remainingMs()).toBeUndefined();
    eta.observe(task("pending", 0, 60));
    expect(eta.remainingMs()).toBe(60_000);
    now += 30_000;
    expect(eta.remainingMs()).toBe(30_000);
    // Halfway through the predicted time, the shown progress has risen without a new read.
    const shown = eta.displayProgress();
    expect(shown).toBeGreaterThan(40);
    expect(shown).toBeLessThan(60);
    now += 120_000;
    expect(eta.remainingMs()).toBe(0);
    expect(eta.displayProgress()).toBe(99);
  });

  it("stops estimating once the task is finished and shows its real progress", () => {
    let now = 0;
    const eta = createEtaTracker(() => now);
    eta.observe(task("processing", 50, 20));
    now += 5_000;
    eta.observe(task("completed", 100));
    expect(eta.remainingMs()).toBeUndefined();
    expect(eta.displayProgress()).toBe(100);
  });
});

describe("formatRemaining", () => {
  it.each([
    [1, "~1 s left"],
    [42_000, "~42 s left"],
    [89_000, "~89 s left"],
    [180_000, "~3 min left"],
  ])("%d ms → %s", (ms, text) => {
    expect(formatRemaining(ms)).toBe(text);
  });
});
