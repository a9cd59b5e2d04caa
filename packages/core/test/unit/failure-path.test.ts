/**
 * The code that describes failures (messages, headers, redacted bodies, connection causes) and the
 * rarely used reads (credits, batch read) load on demand in the browser build. When a chunk cannot
 * load (the browser went offline, a deploy removed the old chunk), the user still gets a typed
 * error with everything needed to act on it, never the API key, and never a second task.
 */
import { jsonResponse, type scriptedFetch } from "@videoretalk/test-support";
import { describe, expect, it } from "vitest";
import {
  APIConnectionError,
  APIError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  RequestAbortedError,
  type Task,
} from "../../src/index.js";
import { lazyModule } from "../../src/lazy-module.js";
import { createCreditsResource } from "../../src/resources/credits.js";
import { createLipSyncResource } from "../../src/resources/lip-sync.js";
import { OCCASIONAL_READS_LABEL } from "../../src/resources/occasional-reads-loader.js";
import { createTasksResource } from "../../src/resources/tasks.js";
import { API_KEY, PARAMS, rejection, rejectionOnClock, resourceContext, setup, TASK_ID, taskBody } from "./harness.js";

const CHUNK_ERROR = "Failed to fetch dynamically imported module: /assets/failure-path-x.js";

/** A loader that fails `failures` times, then loads the real module. */
function flakyFailurePath(failures: number) {
  let attempts = 0;
  const load = lazyModule("error reporting", async () => {
    attempts++;
    if (attempts <= failures) throw new TypeError(CHUNK_ERROR);
    return import("../../src/failure-path.js");
  });
  return { load, attempts: () => attempts };
}

function resources(steps: Parameters<typeof scriptedFetch>[0], failures: ReturnType<typeof flakyFailurePath>["load"]) {
  const { ctx, clock, script } = resourceContext(steps, failures);
  return { clock, script, ctx, tasks: createTasksResource(ctx), lipSync: createLipSyncResource(ctx) };
}

describe("failures described on demand (browser build)", () => {
  it("loads the failure code on the first failure only", async () => {
    const counting = flakyFailurePath(0);
    const { tasks } = resources(
      [jsonResponse(200, taskBody()), jsonResponse(200, taskBody()), jsonResponse(404, { error: { message: "gone" } })],
      counting.load,
    );
    await tasks.get(TASK_ID);
    await tasks.get(TASK_ID);
    expect(counting.attempts()).toBe(0);
    expect(await rejection(tasks.get(TASK_ID))).toBeInstanceOf(NotFoundError);
    expect(counting.attempts()).toBe(1);
  });

  it("gives the full message once loaded", async () => {
    const { client, script } = setup([
      jsonResponse(200, taskBody()),
      jsonResponse(404, { error: { code: "task_not_found", message: "Task not found" } }, { "x-request-id": "req-1" }),
    ]);
    await expect(client.tasks.get(TASK_ID)).resolves.toMatchObject({ id: TASK_ID });
    const error = await rejection(client.tasks.get(TASK_ID));
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toBe("404 task_not_found: Task not found (request id: req-1)");
    expect(script.calls).toHaveLength(2);
  });
});

describe("when the failure-description code cannot be loaded", () => {
  it("an HTTP error keeps its class, status, request id and task id, and the key stays out", async () => {
    const { load } = flakyFailurePath(Number.POSITIVE_INFINITY);
    const { tasks } = resources(
      [jsonResponse(404, { error: { message: `bad key ${API_KEY}` } }, { "x-request-id": "req-404" })],
      load,
    );
    const error = (await rejection(tasks.get(TASK_ID))) as NotFoundError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.status).toBe(404);
    expect(error.requestId).toBe("req-404");
    expect(error.taskId).toBe(TASK_ID);
    expect(error.message).toBe("404: not described, the SDK's error-reporting code did not load.");
    expect((error.cause as Error).message).toMatch(/error reporting/);
    expect(JSON.stringify(error)).not.toContain(API_KEY);
    expect(error.message).not.toContain(API_KEY);
  });

  it("a create answered 503 is not retried without the retry code, and keeps its key and Retry-After", async () => {
    const { load } = flakyFailurePath(Number.POSITIVE_INFINITY);
    // With the code loaded, this 503 would be retried (see transport.test.ts); without it, not.
    const { lipSync, script } = resources(
      [jsonResponse(503, {}, { "retry-after": "2" }), jsonResponse(200, taskBody())],
      load,
    );
    const error = (await rejection(
      lipSync.create(PARAMS, { idempotencyKey: "dub-key-0123456789" }),
    )) as InternalServerError;
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.idempotencyKey).toBe("dub-key-0123456789");
    expect(error.retryAfterMs).toBe(2_000);
    expect(script.calls).toHaveLength(1);
  });

  it("a 429 keeps its class and a delta-seconds Retry-After", async () => {
    const { load } = flakyFailurePath(Number.POSITIVE_INFINITY);
    const { tasks } = resources([jsonResponse(429, {}, { "retry-after": "45" })], load);
    const error = (await rejection(tasks.get(TASK_ID))) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(45_000);
  });

  it("an abort during the failed load ends the call as aborted", async () => {
    const controller = new AbortController();
    const { tasks } = resources(
      [jsonResponse(503, {})],
      lazyModule("error reporting", async (): Promise<typeof import("../../src/failure-path.js")> => {
        controller.abort();
        throw new TypeError(CHUNK_ERROR);
      }),
    );
    const error = await rejection(tasks.get(TASK_ID, { signal: controller.signal }));
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect((error as RequestAbortedError).taskId).toBe(TASK_ID);
  });

  it("a 2xx answer of the wrong shape is a base APIError with the status", async () => {
    const { load } = flakyFailurePath(Number.POSITIVE_INFINITY);
    const { tasks } = resources([new Response("<html>maintenance</html>", { status: 200 })], load);
    const error = (await rejection(tasks.get(TASK_ID))) as APIError;
    expect(error.constructor).toBe(APIError);
    expect(error.status).toBe(200);
  });

  it("a fetch that threw gives a redacted reason, `connected: true` and no retry", async () => {
    const { load } = flakyFailurePath(Number.POSITIVE_INFINITY);
    const refused = Object.assign(new TypeError(`connect refused for ${API_KEY}`), { code: "ECONNREFUSED" });
    const { tasks, clock, script } = resources([refused, refused, refused], load);
    const error = (await rejectionOnClock(clock, tasks.get(TASK_ID))) as APIConnectionError;
    expect(error).toBeInstanceOf(APIConnectionError);
    // Nothing could classify the failure, so the error says the request may have reached the API
    // and no retry is made on a guess (a create must never be sent twice).
    expect(error.connected).toBe(true);
    expect(error.message).toBe(
      "GET /v1/tasks/task-unified-1756817821-4x3rx6ny failed: connect refused for [redacted].",
    );
    expect(error.cause).toBeUndefined();
    expect(script.calls).toHaveLength(1);
  });

  it("loads the code again on the next failure, which then gets the full message", async () => {
    // Two failed loads: the transport's (no retry) and the reader's (no detail).
    const flaky = flakyFailurePath(2);
    const { tasks } = resources(
      [jsonResponse(500, { error: { message: "boom" } }), jsonResponse(404, { error: { message: "gone" } })],
      flaky.load,
    );
    const first = (await rejection(tasks.get(TASK_ID, { maxRetries: 0 }))) as InternalServerError;
    expect(first).toBeInstanceOf(InternalServerError);
    expect(first.message).toMatch(/error-reporting code did not load/);
    const second = await rejection(tasks.get(TASK_ID, { maxRetries: 0 }));
    expect(second).toBeInstanceOf(NotFoundError);
    expect((second as Error).message).toBe("404: gone");
    expect(flaky.attempts()).toBe(3);
  });
});

describe("credits and getMany load their code on first use", () => {
  it("a credits chunk that cannot load fails as never connected, sends nothing, and works next time", async () => {
    const { load } = flakyFailurePath(0);
    const { ctx, script } = resources(
      [jsonResponse(200, { success: true, data: { user: { remaining_credits: 12 } } })],
      load,
    );
    let loads = 0;
    const credits = createCreditsResource(
      ctx,
      lazyModule(OCCASIONAL_READS_LABEL, async () => {
        loads++;
        if (loads === 1) throw new TypeError(CHUNK_ERROR);
        return import("../../src/resources/get-credits.js");
      }),
    );
    const error = (await rejection(credits.get())) as APIConnectionError;
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.connected).toBe(false);
    expect(script.calls).toHaveLength(0);
    await expect(credits.get()).resolves.toMatchObject({ user: { remaining_credits: 12 } });
  });

  it("a batch-read chunk that cannot load fails as never connected and sends nothing", async () => {
    const { load } = flakyFailurePath(0);
    const { ctx, script } = resources([], load);
    const tasks = createTasksResource(
      ctx,
      lazyModule(OCCASIONAL_READS_LABEL, async (): Promise<typeof import("../../src/resources/tasks-batch.js")> => {
        throw new TypeError(CHUNK_ERROR);
      }),
    );
    const error = (await rejection(tasks.getMany([TASK_ID]))) as APIConnectionError;
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.connected).toBe(false);
    expect(error.message).toContain(OCCASIONAL_READS_LABEL);
    expect(script.calls).toHaveLength(0);
  });

  it("getMany through the client loads its code and reads the tasks", async () => {
    const { client } = setup([jsonResponse(200, { data: [taskBody({ status: "completed" })] })]);
    const found: Task[] = await client.tasks.getMany([TASK_ID]);
    expect(found.map((task) => task.status)).toEqual(["completed"]);
  });
});
