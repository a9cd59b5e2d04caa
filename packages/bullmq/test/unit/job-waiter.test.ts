import type { Task } from "@videoretalk/core";
import { describe, expect, it } from "vitest";
import { createJobWaiter } from "../../src/job-waiter.js";
import { createSemaphore } from "../../src/semaphore.js";

const task = (id: string, status: Task["status"]) => ({ id, status, object: "task" }) as unknown as Task;

describe("createJobWaiter without polling (callbacks only)", () => {
  it("ends a wait with the delivered terminal task and ignores running ones", async () => {
    const waiter = createJobWaiter(undefined, new AbortController().signal);
    const waiting = waiter.wait("task-1");
    waiter.deliver(task("task-1", "processing"));
    waiter.deliver(task("task-2", "completed"));
    waiter.deliver(task("task-1", "completed"));
    await expect(waiting).resolves.toMatchObject({ task: { id: "task-1", status: "completed" }, via: "callback" });
  });

  it("rejects every wait when the worker shuts down", async () => {
    const shutdown = new AbortController();
    const waiter = createJobWaiter(undefined, shutdown.signal);
    const waiting = waiter.wait("task-1");
    shutdown.abort(new Error("stopping"));
    await expect(waiting).rejects.toThrow("stopping");
    await expect(waiter.wait("task-2")).rejects.toThrow("stopping");
  });
});

describe("createSemaphore", () => {
  it("admits `limit` holders, queues the rest in order, and drops a queued one that aborts", async () => {
    const slots = createSemaphore(1);
    const release = await slots.acquire();
    const order: string[] = [];
    const abort = new AbortController();
    const skipped = slots.acquire(abort.signal).then(() => order.push("skipped"));
    const next = slots.acquire().then((done) => {
      order.push("next");
      done();
    });
    abort.abort(new Error("gone"));
    await expect(skipped).rejects.toThrow("gone");
    release();
    await next;
    expect(order).toEqual(["next"]);
  });
});
