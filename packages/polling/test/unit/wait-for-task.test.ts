import { RequestAbortedError } from "@videoretalk/core";
import { describe, expect, expectTypeOf, it, vi } from "vitest";
import type { CompletedTask } from "../../src/completed-task.js";
import { TaskFailedError, WaitTimeoutError } from "../../src/errors.js";
import { waitForTask } from "../../src/wait-for-task.js";
import { ok, settle, setup, TASK_ID, task } from "./harness.js";

const half = () => 0.5;

describe("waitForTask", () => {
  it("resolves with the completed task, its results typed as a non-empty list", async () => {
    const { clock, client, script } = setup([
      ok(task("pending", 0, { task_info: { estimated_time: 40 } })),
      ok(task("processing", 35)),
      ok(task("processing", 70)),
      ok(task("completed", 100)),
    ]);
    const onProgress = vi.fn();
    const done = await clock.runUntilSettled(waitForTask(client, TASK_ID, { clock, random: half, onProgress }));
    expectTypeOf(done).toEqualTypeOf<CompletedTask>();
    expectTypeOf(done.results[0]).toEqualTypeOf<string>();
    expect(done.status).toBe("completed");
    expect(done.results[0]).toBe(`https://files.example/${TASK_ID}.mp4`);
    expect(onProgress.mock.calls.map(([t]) => t.progress)).toEqual([0, 35, 70, 100]);
    expect(script.calls.every((call) => call.method === "GET")).toBe(true);
  });

  it("rejects with the watch's errors", async () => {
    const failed = task("failed", 0, { error: { code: "generation_timeout", message: "Took too long." } });
    const first = setup([ok(task("processing", 20)), ok(failed)]);
    const a = await first.clock.runUntilSettled(settle(waitForTask(first.client, TASK_ID, { clock: first.clock })));
    expect(a.error).toBeInstanceOf(TaskFailedError);
    expect((a.error as TaskFailedError).code).toBe("generation_timeout");

    const steps = Array.from({ length: 50 }, () => () => ok(task("processing", 20)));
    const second = setup(steps);
    const b = await second.clock.runUntilSettled(
      settle(waitForTask(second.client, TASK_ID, { clock: second.clock, timeoutMs: 60_000 })),
    );
    expect(b.error).toBeInstanceOf(WaitTimeoutError);
    expect((b.error as WaitTimeoutError).task?.progress).toBe(20);
  });

  it("stops at once on abort", async () => {
    const { clock, client, script } = setup([ok(task("pending", 0)), "hang"]);
    const controller = new AbortController();
    const run = settle(waitForTask(client, TASK_ID, { clock, random: half, signal: controller.signal }));
    await clock.advance(2000);
    controller.abort();
    const { error } = await run;
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect((error as RequestAbortedError).taskId).toBe(TASK_ID);
    expect(script.calls).toHaveLength(2);
    expect(clock.pendingTimers()).toBe(0);
  });
});
