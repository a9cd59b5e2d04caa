import {
  BadRequestError,
  type CreatedTask,
  NotFoundError,
  RequestAbortedError,
  ValidationError,
} from "@videoretalk/core";
import { jsonResponse } from "@videoretalk/test-support";
import { describe, expect, it, vi } from "vitest";
import { createAndWait } from "../../src/create-and-wait.js";
import { TaskFailedError, WaitTimeoutError } from "../../src/errors.js";
import { ok, settle, setup, TASK_ID, task } from "./harness.js";

const half = () => 0.5;
const params = { video_url: "https://example.com/speaker.mp4", audio_url: "https://example.com/speech.wav" };
const KEY = "polling-test-key-0001";

function created(estimatedSeconds = 30): CreatedTask {
  return {
    id: TASK_ID,
    object: "video.generation.task",
    model: "videoretalk",
    created: 1_775_200_000,
    status: "pending",
    progress: 0,
    type: "video",
    task_info: { can_cancel: false, estimated_time: estimatedSeconds },
    usage: { billing_rule: "per_second", credits_reserved: 480, user_group: "default" },
  };
}

describe("createAndWait", () => {
  it("creates, counts the create response as the first observation, then waits", async () => {
    const times: number[] = [];
    const { clock, client, script, start } = setup([
      ok(created(30)),
      () => {
        times.push(clock.now());
        return ok(task("pending", 0));
      },
      () => {
        times.push(clock.now());
        return ok(task("processing", 40));
      },
      ...Array.from({ length: 30 }, () => () => {
        times.push(clock.now());
        return ok(clock.now() - start >= 30_000 ? task("completed", 100) : task("processing", 40));
      }),
    ]);
    const onProgress = vi.fn();
    const done = await clock.runUntilSettled(
      createAndWait(client, params, { clock, random: half, onProgress, idempotencyKey: KEY }),
    );
    expect(done.id).toBe(TASK_ID);
    expect(done.results).toHaveLength(1);
    expect(script.calls[0]?.method).toBe("POST");
    expect(script.calls[0]?.headers["idempotency-key"]).toBe(KEY);
    // The first GET is the quick first look after the create response, not an immediate read.
    expect((times[0] ?? 0) - start).toBe(2000);
    // onProgress saw the create response first; the identical pending read was not repeated.
    expect(onProgress.mock.calls.map(([t]) => `${t.status}:${t.progress}`)).toEqual([
      "pending:0",
      "processing:40",
      "completed:100",
    ]);
    expect(onProgress.mock.calls[0]?.[0]).toMatchObject({ usage: { credits_reserved: 480 } });
    // Far fewer reads than a fixed 5 s poller over the same 30 s.
    expect(times.length).toBeLessThanOrEqual(5);
  });

  it("gives every error after creation the task id", async () => {
    const failed = task("failed", 0, { error: { code: "invalid_parameters", message: "No face found." } });
    const a = setup([ok(created()), ok(failed)]);
    const failure = await a.clock.runUntilSettled(settle(createAndWait(a.client, params, { clock: a.clock })));
    expect(failure.error).toBeInstanceOf(TaskFailedError);
    expect((failure.error as TaskFailedError).taskId).toBe(TASK_ID);

    const b = setup([ok(created()), jsonResponse(404, { error: { code: "task_not_found", message: "Not found" } })]);
    const missing = await b.clock.runUntilSettled(settle(createAndWait(b.client, params, { clock: b.clock })));
    expect(missing.error).toBeInstanceOf(NotFoundError);
    expect((missing.error as NotFoundError).taskId).toBe(TASK_ID);

    const c = setup([ok(created()), "hang"]);
    const late = await c.clock.runUntilSettled(
      settle(createAndWait(c.client, params, { clock: c.clock, timeoutMs: 5000 })),
    );
    expect(late.error).toBeInstanceOf(WaitTimeoutError);
    expect((late.error as WaitTimeoutError).taskId).toBe(TASK_ID);
    expect((late.error as WaitTimeoutError).task?.status).toBe("pending");

    const d = setup([ok(created())]);
    const controller = new AbortController();
    const run = settle(createAndWait(d.client, params, { clock: d.clock, signal: controller.signal }));
    await d.clock.advance(1000);
    controller.abort();
    const aborted = await run;
    expect(aborted.error).toBeInstanceOf(RequestAbortedError);
    expect((aborted.error as RequestAbortedError).taskId).toBe(TASK_ID);
  });

  it("passes create errors through with their idempotency key and no task id", async () => {
    const { clock, client, script } = setup([
      jsonResponse(400, {
        error: { code: "invalid_parameters", message: "Bad video.", type: "invalid_request_error" },
      }),
    ]);
    const { error } = await clock.runUntilSettled(
      settle(createAndWait(client, params, { clock, idempotencyKey: KEY })),
    );
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).idempotencyKey).toBe(KEY);
    expect((error as BadRequestError).taskId).toBeUndefined();
    expect(script.calls).toHaveLength(1);
  });

  it("refuses bad wait options before creating anything", async () => {
    const { clock, client, script } = setup([ok(created())]);
    const { error } = await settle(createAndWait(client, params, { clock, timeoutMs: -5 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("timeoutMs");
    expect(script.calls).toHaveLength(0);
  });
});
