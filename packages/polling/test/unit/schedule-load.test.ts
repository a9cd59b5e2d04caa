import { RequestAbortedError, type Task } from "@videoretalk/core";
import { flushMicrotasks } from "@videoretalk/test-support";
import { describe, expect, it, vi } from "vitest";
import * as schedule from "../../src/schedule.js";
import { watchFrom } from "../../src/watch-task.js";
import { collect, ok, setup, TASK_ID, task } from "./harness.js";

const half = () => 0.5;

/** A schedule loader the test settles by hand. */
function deferredLoader() {
  let resolve: (module: typeof schedule) => void = () => {};
  const load = vi.fn(() => new Promise<typeof schedule>((r) => (resolve = r)));
  return { load, resolve: (module: typeof schedule) => resolve(module) };
}

/** Scripted reads that record when each one was sent, relative to the start. */
function timedReads(bodies: Task[]) {
  const readAt: number[] = [];
  const env = setup(
    bodies.map((body) => () => {
      readAt.push(env.clock.now() - env.start);
      return ok(body);
    }),
  );
  return { ...env, readAt };
}

/** The model's delay after each of `reads` (ms from `start`, task), given the reads before it. */
function modelDelays(start: number, reads: [number, Task][]): number[] {
  return reads.map((_, i) =>
    schedule.nextPollDelayMs(
      reads.slice(0, i + 1).map(([at, task]) => ({ at: start + at, task })),
      { random: half },
    ),
  );
}

/**
 * The model's second and third delays when the first delay was the 5 s fallback: reads at 0
 * (pending 0 %), 5 s (processing 40 %), then 5 s + second (processing 60 %).
 */
function delaysAfterFallback(start: number): { second: number; third: number } {
  const reads: [number, Task][] = [
    [0, task("pending", 0)],
    [5_000, task("processing", 40)],
  ];
  const second = modelDelays(start, reads)[1] as number;
  reads.push([5_000 + second, task("processing", 60)]);
  return { second, third: modelDelays(start, reads)[2] as number };
}

describe("loading the schedule (its own chunk, loaded when a wait starts)", () => {
  it("sends the first read at once, while the schedule is still loading", async () => {
    const { clock, client, readAt, start } = timedReads([task("pending", 0), task("completed", 100)]);
    const loader = deferredLoader();
    const run = collect(watchFrom(client, TASK_ID, { clock, random: half }, undefined, loader.load));
    await flushMicrotasks();

    // The load started with the wait, and the first read went out without waiting for it.
    expect(loader.load).toHaveBeenCalledTimes(1);
    expect(readAt).toEqual([0]);

    // It loads 1 s later: the next read comes at the model's first delay, counted from the read.
    await clock.advance(1_000);
    loader.resolve(schedule);
    const { seen, error } = await clock.runUntilSettled(run);
    expect(error).toBeUndefined();
    expect(seen.map((t) => t.status)).toEqual(["pending", "completed"]);
    const [first] = modelDelays(start, [[0, task("pending", 0)]]);
    expect(readAt).toEqual([0, first]);
    expect(loader.load).toHaveBeenCalledTimes(1);
  });

  it("reports the first task at once, without waiting for the schedule to load", async () => {
    const { clock, client, start } = timedReads([task("pending", 0), task("completed", 100)]);
    const loader = deferredLoader();
    const progress: number[] = [];
    const run = collect(
      watchFrom(
        client,
        TASK_ID,
        { clock, random: half, onProgress: () => progress.push(clock.now() - start) },
        undefined,
        loader.load,
      ),
    );
    await flushMicrotasks();
    // The load has not finished and no time has passed, yet the "pending" update is out.
    expect(progress).toEqual([0]);
    loader.resolve(schedule);
    const { seen } = await clock.runUntilSettled(run);
    expect(seen.map((t) => t.status)).toEqual(["pending", "completed"]);
  });

  it("waits at most 5 s for a load that does not finish, then reads on", async () => {
    const { clock, client, readAt, start } = timedReads([
      task("pending", 0),
      task("processing", 40),
      task("processing", 60),
      task("completed", 100),
    ]);
    const loader = deferredLoader();
    const run = collect(watchFrom(client, TASK_ID, { clock, random: half }, undefined, loader.load));
    await clock.advance(5_000);
    expect(readAt).toEqual([0, 5_000]);

    // Loaded at last: from the next delay on, the model's.
    loader.resolve(schedule);
    const { error } = await clock.runUntilSettled(run);
    expect(error).toBeUndefined();
    const { second, third } = delaysAfterFallback(start);
    expect(readAt).toEqual([0, 5_000, 5_000 + second, 5_000 + second + third]);
  });

  it("keeps polling at 5 s while the schedule cannot load, and loads it again each time a delay falls due", async () => {
    const { clock, client, readAt, start } = timedReads([
      task("pending", 0),
      task("processing", 40),
      task("processing", 60),
      task("completed", 100),
    ]);
    const offline = () => Promise.reject(new TypeError("Failed to fetch dynamically imported module"));
    const load = vi
      .fn<() => Promise<typeof schedule>>()
      .mockImplementationOnce(offline)
      .mockImplementationOnce(offline)
      .mockResolvedValue(schedule);

    const { seen, error } = await clock.runUntilSettled(
      collect(watchFrom(client, TASK_ID, { clock, random: half }, undefined, load)),
    );

    expect(error).toBeUndefined();
    expect(seen.map((t) => `${t.status}:${t.progress}`)).toEqual([
      "pending:0",
      "processing:40",
      "processing:60",
      "completed:100",
    ]);
    // Load 1 (with the first read) and load 2 (when the first delay fell due) failed: that delay
    // was the fallback. Load 3, when the next delay fell due, worked: the model's from then on.
    expect(load).toHaveBeenCalledTimes(3);
    const { second, third } = delaysAfterFallback(start);
    expect(second).not.toBe(5_000);
    expect(readAt).toEqual([0, 5_000, 5_000 + second, 5_000 + second + third]);
  });

  it("keeps the fallback delay within the caller's bounds", async () => {
    const { clock, client, readAt } = timedReads([task("pending", 0), task("completed", 100)]);
    const load = vi.fn(() => Promise.reject(new TypeError("offline")));
    const { error } = await clock.runUntilSettled(
      collect(watchFrom(client, TASK_ID, { clock, maxIntervalMs: 2_000 }, undefined, load)),
    );
    expect(error).toBeUndefined();
    expect(readAt).toEqual([0, 2_000]);
  });

  it("stops at once when aborted while the schedule is loading", async () => {
    const { clock, client, readAt } = timedReads([task("pending", 0), task("completed", 100)]);
    const controller = new AbortController();
    const loader = deferredLoader();
    const run = collect(
      watchFrom(client, TASK_ID, { clock, random: half, signal: controller.signal }, undefined, loader.load),
    );
    await clock.advance(1_000);
    controller.abort();
    const { error } = await run;
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect((error as RequestAbortedError).taskId).toBe(TASK_ID);
    expect(readAt).toEqual([0]);
    expect(clock.pendingTimers()).toBe(0);
  });
});
