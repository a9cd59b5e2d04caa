import { APIError, type Task } from "@videoretalk/core";
import { FakeClock } from "@videoretalk/test-support";
import { describe, expect, it } from "vitest";
import { type BatchClient, type BatchEvent, TaskPoller } from "../src/index.js";

/** A scripted API: each task completes after a number of reads; records every request. */
function fakeApi(options: { batch?: "ok" | 405 } = {}) {
  const readsLeft = new Map<string, number>();
  const requests: { kind: "many" | "one"; ids: string[] }[] = [];
  const task = (id: string): Task => {
    const left = readsLeft.get(id) ?? 0;
    readsLeft.set(id, left - 1);
    return {
      id,
      status: left <= 0 ? "completed" : "processing",
      progress: 50,
      results: ["https://r.example/x.mp4"],
    } as Task;
  };
  const client: BatchClient = {
    lipSync: { create: async () => Promise.reject(new Error("not used")) },
    files: { upload: async () => Promise.reject(new Error("not used")) },
    tasks: {
      get: async (id) => {
        requests.push({ kind: "one", ids: [id] });
        return task(id);
      },
      getMany: async (ids) => {
        requests.push({ kind: "many", ids: [...ids] });
        if (options.batch === 405) throw new APIError("method not allowed", { status: 405 });
        return ids.filter((id) => readsLeft.has(id)).map(task);
      },
    },
  };
  return { client, requests, readsLeft };
}

function poller(client: BatchClient, clock: FakeClock, events: BatchEvent[] = []) {
  return new TaskPoller({
    client,
    clock,
    random: () => 0.5,
    minIntervalMs: 1_000,
    maxIntervalMs: 60_000,
    maxReadFailures: 3,
    signal: undefined,
    onEvent: (event) => events.push(event),
  });
}

describe("TaskPoller", () => {
  it("reads 120 due tasks with ⌈120/50⌉ = 3 batch requests per cycle, and resolves each when terminal", async () => {
    const clock = new FakeClock();
    const { client, requests, readsLeft } = fakeApi();
    const ids = Array.from({ length: 120 }, (_, i) => `task-unified-1-${String(i).padStart(8, "0")}`);
    for (const id of ids) readsLeft.set(id, 1);
    const p = poller(client, clock);
    const done = Promise.all(ids.map((id) => p.wait(id)));
    await clock.advance(0);
    expect(requests.map((r) => [r.kind, r.ids.length])).toEqual([
      ["many", 50],
      ["many", 50],
      ["many", 20],
    ]);
    const tasks = await clock.runUntilSettled(done);
    expect(tasks.every((t) => t.status === "completed")).toBe(true);
    expect(requests.every((r) => r.kind === "many" && r.ids.length <= 50)).toBe(true);
    expect(requests).toHaveLength(6);
    expect(p.reads).toBe(6);
  });

  it("falls back to single reads once, for the rest of the run, when the batch read answers 405", async () => {
    const clock = new FakeClock();
    const { client, requests, readsLeft } = fakeApi({ batch: 405 });
    const events: BatchEvent[] = [];
    readsLeft.set("task-unified-1-aaaaaaaa", 2);
    readsLeft.set("task-unified-1-bbbbbbbb", 0);
    const p = poller(client, clock, events);
    await clock.runUntilSettled(Promise.all([p.wait("task-unified-1-aaaaaaaa"), p.wait("task-unified-1-bbbbbbbb")]));
    expect(requests.filter((r) => r.kind === "many")).toHaveLength(1);
    expect(requests.filter((r) => r.kind === "one").length).toBeGreaterThanOrEqual(4);
    expect(events).toEqual([{ type: "batch-reads-unavailable", status: 405 }]);
  });

  it("settle() resolves a waited task from elsewhere (a callback) without another read", async () => {
    const clock = new FakeClock();
    const { client, requests, readsLeft } = fakeApi();
    readsLeft.set("task-unified-1-cccccccc", 100);
    const p = poller(client, clock);
    const first = { id: "task-unified-1-cccccccc", status: "pending", progress: 0 } as Task;
    const waiting = p.wait("task-unified-1-cccccccc", first);
    p.settle({ ...first, status: "completed", progress: 100 });
    expect((await waiting).status).toBe("completed");
    await clock.advance(120_000);
    expect(requests).toHaveLength(0);
    expect(p.size).toBe(0);
  });
});
