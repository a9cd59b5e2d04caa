import {
  APITimeoutError,
  AuthenticationError,
  NotFoundError,
  RequestAbortedError,
  type Task,
  ValidationError,
} from "@videoretalk/core";
import { flushMicrotasks, jsonResponse, networkError } from "@videoretalk/test-support";
import { describe, expect, it, vi } from "vitest";
import { TaskCancelledError, TaskFailedError, WaitTimeoutError } from "../../src/errors.js";
import { watchTask } from "../../src/watch-task.js";
import { collect, ok, setup, TASK_ID, task } from "./harness.js";

const half = () => 0.5;

/** The same, running the fake clock until the watch ends. */
function drain(clock: ReturnType<typeof setup>["clock"], iterable: AsyncIterable<Task>) {
  return clock.runUntilSettled(collect(iterable));
}

function errorBody(code: string, message: string) {
  return { error: { code, message, type: "invalid_request_error" } };
}

describe("watchTask", () => {
  it("reads at once, then yields only distinct updates and ends with the completed task", async () => {
    const { clock, client, script, start } = setup([
      ok(task("pending", 0)),
      ok(task("pending", 0)),
      ok(task("processing", 30)),
      ok(task("processing", 30)),
      ok(task("processing", 60)),
      ok(task("completed", 100)),
    ]);
    const onProgress = vi.fn();
    const watch = watchTask(client, TASK_ID, { clock, random: half, onProgress });
    const run = drain(clock, watch);
    await flushMicrotasks();
    expect(script.calls).toHaveLength(1);
    expect(clock.now()).toBe(start);
    expect(script.calls[0]?.url).toBe(`http://127.0.0.1:1/v1/tasks/${TASK_ID}`);

    const { seen, error } = await run;
    expect(error).toBeUndefined();
    expect(seen.map((t) => `${t.status}:${t.progress}`)).toEqual([
      "pending:0",
      "processing:30",
      "processing:60",
      "completed:100",
    ]);
    expect(onProgress.mock.calls.map(([t]) => t)).toEqual(seen);
    expect(script.remaining()).toBe(0);
  });

  it("treats an unknown status as still running, yielding its changes", async () => {
    const { clock, client } = setup([
      ok(task("queued", 0)),
      ok(task("queued", 0)),
      ok(task("rendering", 50)),
      ok(task("completed", 100)),
    ]);
    const { seen, error } = await drain(clock, watchTask(client, TASK_ID, { clock, random: half }));
    expect(error).toBeUndefined();
    expect(seen.map((t) => t.status)).toEqual(["queued", "rendering", "completed"]);
  });

  describe("terminal states", () => {
    it("throws TaskFailedError with the task, its code and the API's message", async () => {
      const failed = task("failed", 0, {
        error: { code: "content_policy_violation", message: "Blocked by safety filters.", type: "task_error" },
      });
      const { clock, client } = setup([ok(task("processing", 20)), ok(failed)]);
      const { seen, error } = await drain(clock, watchTask(client, TASK_ID, { clock, random: half }));
      expect(seen.map((t) => t.status)).toEqual(["processing"]);
      expect(error).toBeInstanceOf(TaskFailedError);
      const err = error as TaskFailedError;
      expect(err.code).toBe("content_policy_violation");
      expect(err.message).toContain("Blocked by safety filters.");
      expect(err.apiMessage).toBe("Blocked by safety filters.");
      expect(err.task).toEqual(failed);
      expect(err.taskId).toBe(TASK_ID);
    });

    it("carries the request id of the response that reported the failure", async () => {
      const failed = task("failed", 0, { error: { code: "service_error", message: "Upstream failed." } });
      const { clock, client } = setup([jsonResponse(200, failed, { "x-request-id": "req-failed-42" })]);
      const { error } = await drain(clock, watchTask(client, TASK_ID, { clock, random: half }));
      expect(error).toBeInstanceOf(TaskFailedError);
      expect((error as TaskFailedError).requestId).toBe("req-failed-42");
      expect((error as TaskFailedError).status).toBeUndefined();
    });

    it("throws TaskCancelledError for a cancelled task", async () => {
      const { clock, client } = setup([ok(task("cancelled", 0))]);
      const { seen, error } = await drain(clock, watchTask(client, TASK_ID, { clock }));
      expect(seen).toEqual([]);
      expect(error).toBeInstanceOf(TaskCancelledError);
      expect((error as TaskCancelledError).task.status).toBe("cancelled");
      expect((error as TaskCancelledError).taskId).toBe(TASK_ID);
    });

    it.each([
      ["an empty list", { results: [] }],
      ["no list at all", { results: undefined }],
      ["an empty URL", { results: [""] }],
    ])("throws TaskFailedError(missing_results) for a completed task with %s", async (_, extra) => {
      const { clock, client } = setup([ok(task("completed", 100, extra))]);
      const { seen, error } = await drain(clock, watchTask(client, TASK_ID, { clock }));
      expect(seen).toEqual([]);
      expect(error).toBeInstanceOf(TaskFailedError);
      expect((error as TaskFailedError).code).toBe("missing_results");
      expect((error as TaskFailedError).taskId).toBe(TASK_ID);
    });
  });

  describe("errors while reading", () => {
    it("waits out connection errors, 503 and 429 (honouring Retry-After) without ending", async () => {
      const times: number[] = [];
      const at = (response: () => Response | Error) => (): Response | Error => {
        times.push(clock.now());
        return response();
      };
      const { clock, client, start } = setup([
        at(() => networkError("ECONNREFUSED")),
        at(() => jsonResponse(503, errorBody("service_unavailable", "Try again later."))),
        at(() => jsonResponse(429, errorBody("rate_limit_exceeded", "Slow down."), { "retry-after": "7" })),
        at(() => ok(task("completed", 100))),
      ]);
      const { seen, error } = await drain(clock, watchTask(client, TASK_ID, { clock, random: half }));
      expect(error).toBeUndefined();
      expect(seen.map((t) => t.status)).toEqual(["completed"]);
      // One attempt per read (no hidden core retries): 1 s, then 1.5 s (doubling, equal jitter),
      // then exactly the 7 s the server asked for.
      expect(times.map((t) => t - start)).toEqual([0, 1000, 2500, 9500]);
    });

    it("keeps retrying a read that times out", async () => {
      const { clock, client, script } = setup(["hang", ok(task("completed", 100))], { timeoutMs: 5000 });
      const { seen, error } = await drain(clock, watchTask(client, TASK_ID, { clock, random: half }));
      expect(error).toBeUndefined();
      expect(seen).toHaveLength(1);
      expect(script.calls[0]?.signal?.aborted).toBe(true);
    });

    it.each([
      [401, AuthenticationError, errorBody("unauthorized", "Invalid or expired token")],
      [404, NotFoundError, errorBody("task_not_found", "Task not found")],
    ])("ends at once on HTTP %i, with taskId set", async (status, ErrorClass, body) => {
      const { clock, client, script } = setup([
        ok(task("processing", 20)),
        jsonResponse(status, body, { "x-request-id": "req-err" }),
        ok(task("completed", 100)),
      ]);
      const { seen, error } = await drain(clock, watchTask(client, TASK_ID, { clock, random: half }));
      expect(seen).toHaveLength(1);
      expect(error).toBeInstanceOf(ErrorClass);
      expect((error as InstanceType<typeof ErrorClass>).taskId).toBe(TASK_ID);
      expect((error as InstanceType<typeof ErrorClass>).requestId).toBe("req-err");
      expect(script.calls).toHaveLength(2);
    });
  });

  describe("time limit", () => {
    it("bounds an unknown status by timeoutMs and reports the last task seen", async () => {
      const steps = Array.from({ length: 200 }, (_, i) => () => ok(task("queued", 0, { progress: i % 2 })));
      const { clock, client, script, start } = setup(steps);
      const { error } = await drain(clock, watchTask(client, TASK_ID, { clock, random: half, timeoutMs: 120_000 }));
      expect(error).toBeInstanceOf(WaitTimeoutError);
      const err = error as WaitTimeoutError;
      expect(err.task?.status).toBe("queued");
      expect(err.timeoutMs).toBe(120_000);
      expect(err.taskId).toBe(TASK_ID);
      expect(clock.now() - start).toBe(120_000);
      expect(script.calls.length).toBeGreaterThan(2);
      expect(script.calls.length).toBeLessThan(20);
      expect(clock.pendingTimers()).toBe(0);
    });

    it("aborts the read in flight when the time runs out", async () => {
      const { clock, client, script, start } = setup([ok(task("pending", 0)), "hang"]);
      const { error } = await drain(clock, watchTask(client, TASK_ID, { clock, random: half, timeoutMs: 10_000 }));
      expect(error).toBeInstanceOf(WaitTimeoutError);
      expect((error as WaitTimeoutError).task?.status).toBe("pending");
      expect((error as Error).cause).toBeInstanceOf(APITimeoutError);
      expect(clock.now() - start).toBe(10_000);
      expect(script.calls).toHaveLength(2);
      expect(script.calls[1]?.signal?.aborted).toBe(true);
      expect(clock.pendingTimers()).toBe(0);
    });

    it("reports the last transient failure as the cause when the API stays unreachable", async () => {
      const steps = Array.from(
        { length: 50 },
        () => () => jsonResponse(502, errorBody("bad_gateway", "Upstream down")),
      );
      const { clock, client, start } = setup([ok(task("processing", 20)), ...steps]);
      const { error } = await drain(clock, watchTask(client, TASK_ID, { clock, random: half, timeoutMs: 60_000 }));
      expect(error).toBeInstanceOf(WaitTimeoutError);
      expect((error as WaitTimeoutError).task?.progress).toBe(20);
      expect((error as Error).cause).toMatchObject({ status: 502, taskId: TASK_ID });
      expect(clock.now() - start).toBe(60_000);
    });

    it("ends a sleep early at the time limit", async () => {
      const { clock, client, script, start } = setup([ok(task("processing", 20))]);
      const { error } = await drain(
        clock,
        watchTask(client, TASK_ID, { clock, minIntervalMs: 30_000, timeoutMs: 5000 }),
      );
      expect(error).toBeInstanceOf(WaitTimeoutError);
      expect((error as WaitTimeoutError).task?.progress).toBe(20);
      expect(clock.now() - start).toBe(5000);
      expect(script.calls).toHaveLength(1);
    });
  });

  describe("abort", () => {
    it("stops during a sleep at once, leaving no timer", async () => {
      // A 1 s per-attempt limit lets core's shared request timer expire before the abort; see
      // the next test for what happens to it otherwise.
      const { clock, client, script, start } = setup([ok(task("pending", 0))], { timeoutMs: 1000 });
      const controller = new AbortController();
      const run = collect(watchTask(client, TASK_ID, { clock, random: half, signal: controller.signal }));
      await clock.advance(1500);
      expect(script.calls).toHaveLength(1);
      controller.abort();
      const { seen, error } = await run;
      expect(seen).toHaveLength(1);
      expect(error).toBeInstanceOf(RequestAbortedError);
      expect((error as RequestAbortedError).taskId).toBe(TASK_ID);
      expect(clock.now() - start).toBe(1500);
      expect(clock.pendingTimers()).toBe(0);
    });

    it("sends nothing more after an abort during a sleep", async () => {
      const { clock, client, script } = setup([ok(task("pending", 0)), ok(task("completed", 100))]);
      const controller = new AbortController();
      const run = collect(watchTask(client, TASK_ID, { clock, random: half, signal: controller.signal }));
      await clock.advance(500);
      controller.abort();
      expect((await run).error).toBeInstanceOf(RequestAbortedError);
      // Only core's shared per-attempt timer may remain (unref'ed in Node); it fires once and stops.
      expect(clock.pendingTimers()).toBeLessThanOrEqual(1);
      await clock.advance(10 * 60_000);
      expect(script.calls).toHaveLength(1);
      expect(clock.pendingTimers()).toBe(0);
    });

    it("aborts the read in flight at once, leaving no timer", async () => {
      const { clock, client, script, start } = setup([ok(task("pending", 0)), "hang"]);
      const controller = new AbortController();
      const run = collect(watchTask(client, TASK_ID, { clock, random: half, signal: controller.signal }));
      await clock.advance(2000);
      expect(script.calls).toHaveLength(2);
      controller.abort();
      const { error } = await run;
      expect(error).toBeInstanceOf(RequestAbortedError);
      expect((error as RequestAbortedError).taskId).toBe(TASK_ID);
      expect(script.calls[1]?.signal?.aborted).toBe(true);
      expect(clock.now() - start).toBe(2000);
      expect(clock.pendingTimers()).toBe(0);
    });

    it("sends nothing when the signal is already aborted", async () => {
      const { clock, client, script } = setup([ok(task("pending", 0))]);
      const { error } = await drain(clock, watchTask(client, TASK_ID, { clock, signal: AbortSignal.abort() }));
      expect(error).toBeInstanceOf(RequestAbortedError);
      expect((error as RequestAbortedError).taskId).toBe(TASK_ID);
      expect(script.calls).toHaveLength(0);
      expect(clock.pendingTimers()).toBe(0);
    });
  });

  it("stops polling when the loop is left with break", async () => {
    const { clock, client, script } = setup([ok(task("pending", 0)), ok(task("processing", 20))], { timeoutMs: 1000 });
    const seen: Task[] = [];
    for await (const t of watchTask(client, TASK_ID, { clock, random: half })) {
      seen.push(t);
      break;
    }
    expect(seen).toHaveLength(1);
    await clock.advance(30 * 60_000);
    expect(script.calls).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it("refuses impossible options before sending anything", async () => {
    const { clock, client, script } = setup([]);
    for (const [options, field] of [
      [{ timeoutMs: 0 }, "timeoutMs"],
      [{ minIntervalMs: -1 }, "minIntervalMs"],
      [{ maxIntervalMs: Number.NaN }, "maxIntervalMs"],
      [{ minIntervalMs: 5000, maxIntervalMs: 1000 }, "maxIntervalMs"],
    ] as const) {
      const { error } = await drain(clock, watchTask(client, TASK_ID, { clock, ...options }));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
      expect((error as ValidationError).taskId).toBe(TASK_ID);
    }
    expect(script.calls).toHaveLength(0);
  });
});
