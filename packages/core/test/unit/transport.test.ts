import { flushMicrotasks, jsonResponse, networkError } from "@videoretalk/test-support";
import { describe, expect, it } from "vitest";
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  IDEMPOTENCY_KEY_PATTERN,
  InternalServerError,
  RateLimitError,
  RequestAbortedError,
  ValidationError,
} from "../../src/index.js";
import { PARAMS, rejection, rejectionOnClock, setup, TASK_ID, taskBody } from "./harness.js";

const ok = () => jsonResponse(200, taskBody());
const status = (code: number, headers: Record<string, string> = {}) =>
  jsonResponse(code, { error: { code: `e${code}`, message: `failed with ${code}`, type: "test_error" } }, headers);

describe("GET retries (tasks.get)", () => {
  const transient: Array<[string, () => Response | Error | "hang"]> = [
    ["ECONNREFUSED", () => networkError("ECONNREFUSED")],
    ["ECONNRESET", () => networkError("ECONNRESET")],
    ["a bare TypeError", () => new TypeError("Failed to fetch")],
    ["a per-attempt timeout", () => "hang"],
    ["408", () => status(408)],
    ["429", () => status(429)],
    ["500", () => status(500)],
    ["502", () => status(502)],
    ["503", () => status(503)],
    ["504", () => status(504)],
  ];

  it.each(transient)("retries after %s and returns the task", async (_, step) => {
    const { client, clock, script } = setup([step(), ok()], { timeoutMs: 1_000 });
    const task = await clock.runUntilSettled(client.tasks.get(TASK_ID));
    expect(task.id).toBe(TASK_ID);
    expect(script.calls).toHaveLength(2);
    expect(script.calls.map((c) => c.method)).toEqual(["GET", "GET"]);
  });

  it.each<[string, () => Response | Error | "hang", new (...args: never[]) => Error, number | undefined]>([
    ["ECONNREFUSED", () => networkError("ECONNREFUSED"), APIConnectionError, undefined],
    ["ECONNRESET", () => networkError("ECONNRESET"), APIConnectionError, undefined],
    ["timeouts", () => "hang", APITimeoutError, undefined],
    ["408", () => status(408), APIError, 408],
    ["429", () => status(429), RateLimitError, 429],
    ["500", () => status(500), InternalServerError, 500],
    ["503", () => status(503), InternalServerError, 503],
  ])("gives up after maxRetries of %s with the matching error", async (_, step, ErrorClass, httpStatus) => {
    const { client, clock, script } = setup([step(), step(), step(), ok()], { timeoutMs: 1_000 });
    const error = await rejectionOnClock(clock, client.tasks.get(TASK_ID));
    expect(error).toBeInstanceOf(ErrorClass);
    expect((error as APIError).status).toBe(httpStatus);
    expect((error as APIError).taskId).toBe(TASK_ID);
    expect(script.calls).toHaveLength(3);
    expect(script.remaining()).toBe(1);
  });

  it("a connection error is not reported as a timeout", async () => {
    const { client, clock } = setup([networkError("ECONNREFUSED")], { maxRetries: 0 });
    const error = await rejectionOnClock(clock, client.tasks.get(TASK_ID));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APITimeoutError);
    expect((error as Error).message).toContain("ECONNREFUSED");
    expect((error as Error).cause).toBeInstanceOf(TypeError);
  });

  it.each([400, 401, 402, 403, 404])("does not retry %i", async (code) => {
    const { client, clock, script } = setup([status(code), ok()]);
    const error = await rejectionOnClock(clock, client.tasks.get(TASK_ID));
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(code);
    expect(script.calls).toHaveLength(1);
  });

  it("waits with jittered exponential backoff between attempts", async () => {
    const { client, clock } = setup([status(503), status(503), ok()], { random: () => 0.999 });
    const start = clock.now();
    await clock.runUntilSettled(client.tasks.get(TASK_ID));
    expect(clock.now() - start).toBe(499 + 999);
    expect(clock.scheduled).toEqual(expect.arrayContaining([499, 999]));
  });

  it("maxRetries: 0 makes exactly one call", async () => {
    const { client, clock, script } = setup([status(503), ok()], { maxRetries: 0 });
    const error = await rejectionOnClock(clock, client.tasks.get(TASK_ID));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(script.calls).toHaveLength(1);
  });

  it("a per-call maxRetries overrides the client's", async () => {
    const { client, clock, script } = setup([status(503), status(503), status(503), status(503), ok()], {
      maxRetries: 0,
    });
    const task = await clock.runUntilSettled(client.tasks.get(TASK_ID, { maxRetries: 4 }));
    expect(task.id).toBe(TASK_ID);
    expect(script.calls).toHaveLength(5);
  });

  it("tells the logger about each retry", async () => {
    const { client, clock, logs } = setup([status(503), networkError("ECONNRESET"), ok()]);
    await clock.runUntilSettled(client.tasks.get(TASK_ID));
    const retries = logs.filter((entry) => entry.level === "warn");
    expect(retries).toHaveLength(2);
    expect(retries[0]?.message).toMatch(/GET \/v1\/tasks\/.*HTTP 503.*retry 1\/2 in 250 ms/);
    expect(retries[1]?.message).toMatch(/connection-lost.*retry 2\/2 in 500 ms/);
    expect(retries[0]?.meta).toMatchObject({ retry: 1, delayMs: 250 });
  });
});

describe("connection error messages", () => {
  it("names the network code, or the innermost reason when undici gives none", async () => {
    const coded = setup([networkError("ECONNREFUSED")], { maxRetries: 0 });
    const refused = await rejectionOnClock(coded.clock, coded.client.tasks.get(TASK_ID));
    expect((refused as Error).message).toBe(`GET /v1/tasks/${TASK_ID} failed: ECONNREFUSED.`);

    const uncoded = setup([new TypeError("fetch failed", { cause: new Error("bad port") })], { maxRetries: 0 });
    const badPort = await rejectionOnClock(uncoded.clock, uncoded.client.tasks.get(TASK_ID));
    expect(badPort).toBeInstanceOf(APIConnectionError);
    expect((badPort as Error).message).toBe(`GET /v1/tasks/${TASK_ID} failed: bad port.`);
  });
});

describe("APIConnectionError.connected", () => {
  it("is false when no connection was made and true when the request may have arrived", async () => {
    const refused = setup([networkError("ECONNREFUSED")], { maxRetries: 0 });
    const neverSent = await rejectionOnClock(refused.clock, refused.client.tasks.get(TASK_ID));
    expect((neverSent as APIConnectionError).connected).toBe(false);

    const reset = setup([networkError("ECONNRESET")], { maxRetries: 0 });
    const maybeSent = await rejectionOnClock(reset.clock, reset.client.tasks.get(TASK_ID));
    expect((maybeSent as APIConnectionError).connected).toBe(true);
  });
});

describe("an attempt abandoned by its timeout (no signal to abort it)", () => {
  it("cancels the late response's body instead of reading it", async () => {
    let answer: (response: Response) => void = () => {};
    let cancelled = false;
    const lateFetch: typeof fetch = () =>
      new Promise<Response>((resolve) => {
        answer = resolve;
      });
    const { client, clock } = setup([], { fetch: lateFetch, maxRetries: 0, timeoutMs: 1_000 });
    const error = await rejectionOnClock(clock, client.tasks.get(TASK_ID));
    expect(error).toBeInstanceOf(APITimeoutError);
    const body = new ReadableStream<Uint8Array>({
      cancel() {
        cancelled = true;
      },
    });
    answer(new Response(body, { status: 200 }));
    await flushMicrotasks();
    await flushMicrotasks();
    expect(cancelled).toBe(true);
  });
});

describe("POST retries (lipSync.create)", () => {
  it.each([429, 502, 503, 504])("retries HTTP %i with the same Idempotency-Key", async (code) => {
    const { client, clock, script } = setup([status(code), ok()]);
    const task = await clock.runUntilSettled(client.lipSync.create(PARAMS));
    expect(task.id).toBe(TASK_ID);
    expect(script.calls).toHaveLength(2);
    const [first, second] = script.calls;
    expect(first?.method).toBe("POST");
    expect(first?.headers["idempotency-key"]).toMatch(IDEMPOTENCY_KEY_PATTERN);
    expect(second?.headers["idempotency-key"]).toBe(first?.headers["idempotency-key"]);
    expect(second?.body).toBe(first?.body);
  });

  it.each(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"])(
    "retries when no connection was made (%s)",
    async (code) => {
      const { client, clock, script } = setup([networkError(code), ok()]);
      const task = await clock.runUntilSettled(client.lipSync.create(PARAMS));
      expect(task.id).toBe(TASK_ID);
      expect(script.calls).toHaveLength(2);
      expect(script.calls[1]?.headers["idempotency-key"]).toBe(script.calls[0]?.headers["idempotency-key"]);
    },
  );

  it("retries connect failures reported inside an AggregateError (happy eyeballs)", async () => {
    const both = new AggregateError(
      [
        Object.assign(new Error("a"), { code: "ECONNREFUSED" }),
        Object.assign(new Error("b"), { code: "ECONNREFUSED" }),
      ],
      "connect failed",
    );
    const { client, clock, script } = setup([new TypeError("fetch failed", { cause: both }), ok()]);
    await clock.runUntilSettled(client.lipSync.create(PARAMS));
    expect(script.calls).toHaveLength(2);
  });

  it.each<[string, () => Response | Error | "hang", new (...args: never[]) => Error]>([
    ["a plain 500", () => status(500), InternalServerError],
    ["ECONNRESET after sending", () => networkError("ECONNRESET"), APIConnectionError],
    ["a failed browser fetch", () => new TypeError("Failed to fetch"), APIConnectionError],
    ["a read timeout", () => "hang", APITimeoutError],
  ])("does not retry %s and hands back the idempotency key", async (_, step, ErrorClass) => {
    const { client, clock, script } = setup([step(), ok()], { timeoutMs: 5_000 });
    const error = await rejectionOnClock(clock, client.lipSync.create(PARAMS));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(script.calls).toHaveLength(1);
    const sent = script.calls[0]?.headers["idempotency-key"];
    expect(sent).toMatch(IDEMPOTENCY_KEY_PATTERN);
    expect(Object.hasOwn(error as object, "idempotencyKey")).toBe(true);
    expect((error as APIError).idempotencyKey).toBe(sent);
  });

  it("does not retry when one code proves a connection and another does not", async () => {
    const mixed = new AggregateError(
      [Object.assign(new Error("a"), { code: "ECONNREFUSED" }), Object.assign(new Error("b"), { code: "ECONNRESET" })],
      "mixed",
    );
    const { client, clock, script } = setup([new TypeError("fetch failed", { cause: mixed }), ok()]);
    const error = await rejectionOnClock(clock, client.lipSync.create(PARAMS));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(script.calls).toHaveLength(1);
  });

  it.each([400, 401, 402, 403, 404])("does not retry %i", async (code) => {
    const { client, clock, script } = setup([status(code), ok()]);
    const error = await rejectionOnClock(clock, client.lipSync.create(PARAMS));
    expect((error as APIError).status).toBe(code);
    expect((error as APIError).idempotencyKey).toBe(script.calls[0]?.headers["idempotency-key"]);
    expect(script.calls).toHaveLength(1);
  });

  it("keeps one key across every attempt and surfaces it when retries run out", async () => {
    const { client, clock, script } = setup([status(503), networkError("ECONNREFUSED"), status(502), ok()]);
    const error = await rejectionOnClock(clock, client.lipSync.create(PARAMS));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(script.calls).toHaveLength(3);
    const keys = new Set(script.calls.map((call) => call.headers["idempotency-key"]));
    expect(keys.size).toBe(1);
    expect((error as APIError).idempotencyKey).toBe([...keys][0]);
  });

  it("uses a fresh key for each create call", async () => {
    const { client, clock, script } = setup([ok(), ok()]);
    await clock.runUntilSettled(client.lipSync.create(PARAMS));
    await clock.runUntilSettled(client.lipSync.create(PARAMS));
    expect(script.calls[0]?.headers["idempotency-key"]).not.toBe(script.calls[1]?.headers["idempotency-key"]);
  });

  it("sends a caller-supplied idempotency key verbatim on every attempt", async () => {
    const idempotencyKey = "order-42.retry_A-0123456789";
    const { client, clock, script } = setup([status(503), ok()]);
    await clock.runUntilSettled(client.lipSync.create(PARAMS, { idempotencyKey }));
    expect(script.calls.map((call) => call.headers["idempotency-key"])).toEqual([idempotencyKey, idempotencyKey]);
  });

  it("a caller key wins over an Idempotency-Key header in options.headers", async () => {
    const idempotencyKey = "caller-key-0123456789";
    const { client, clock, script } = setup([ok()]);
    await clock.runUntilSettled(
      client.lipSync.create(PARAMS, { idempotencyKey, headers: { "Idempotency-Key": "header-key-0123456789" } }),
    );
    expect(script.calls[0]?.headers["idempotency-key"]).toBe(idempotencyKey);
  });

  it.each<[string, unknown]>([
    ["too short", "short-key"],
    ["too long", "k".repeat(97)],
    ["with a space", "has a space 0123456789"],
    ["with a slash", "has/slash/0123456789"],
    ["empty", ""],
    ["not a string", 1234567890123456],
  ])("rejects a caller key that is %s without sending anything", async (_, idempotencyKey) => {
    const { client, script } = setup([ok()]);
    const error = await rejection(client.lipSync.create(PARAMS, { idempotencyKey: idempotencyKey as string }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("idempotencyKey");
    expect(script.calls).toHaveLength(0);
  });

  it("accepts caller keys at the 16- and 96-character bounds", async () => {
    const { client, clock, script } = setup([ok(), ok()]);
    await clock.runUntilSettled(client.lipSync.create(PARAMS, { idempotencyKey: "a".repeat(16) }));
    await clock.runUntilSettled(client.lipSync.create(PARAMS, { idempotencyKey: "Z".repeat(96) }));
    expect(script.calls).toHaveLength(2);
  });
});

describe("Retry-After", () => {
  it("waits exactly the seconds the server asked for", async () => {
    const { client, clock, script } = setup([status(429, { "Retry-After": "3" }), ok()]);
    const start = clock.now();
    await clock.runUntilSettled(client.tasks.get(TASK_ID));
    expect(clock.now() - start).toBe(3_000);
    expect(clock.scheduled).toContain(3_000);
    expect(script.calls).toHaveLength(2);
  });

  it("waits until an HTTP date", async () => {
    let retryAt = "";
    const { client, clock } = setup([() => status(503, { "Retry-After": retryAt }), ok()]);
    const start = clock.now();
    retryAt = new Date(start + 7_000).toUTCString();
    await clock.runUntilSettled(client.tasks.get(TASK_ID));
    expect(clock.now() - start).toBe(7_000);
    expect(clock.scheduled).toContain(7_000);
  });

  it("is honoured for a create as well, with the same key", async () => {
    const { client, clock, script } = setup([status(503, { "Retry-After": "1.5" }), ok()]);
    const start = clock.now();
    await clock.runUntilSettled(client.lipSync.create(PARAMS));
    expect(clock.now() - start).toBe(1_500);
    expect(script.calls[1]?.headers["idempotency-key"]).toBe(script.calls[0]?.headers["idempotency-key"]);
  });

  it("a wait of 30 s is still honoured", async () => {
    const { client, clock, script } = setup([status(429, { "Retry-After": "30" }), ok()]);
    const start = clock.now();
    await clock.runUntilSettled(client.tasks.get(TASK_ID));
    expect(clock.now() - start).toBe(30_000);
    expect(script.calls).toHaveLength(2);
  });

  it("a wait over 30 s throws a RateLimitError at once, with retryAfterMs", async () => {
    const { client, clock, script } = setup([status(429, { "Retry-After": "31" }), ok()]);
    const start = clock.now();
    const error = await rejection(client.tasks.get(TASK_ID));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(31_000);
    expect(script.calls).toHaveLength(1);
    expect(clock.now()).toBe(start);
  });

  it("a long Retry-After on a create also throws at once, with the key", async () => {
    const { client, script } = setup([status(429, { "Retry-After": "120" }), ok()]);
    const error = await rejection(client.lipSync.create(PARAMS));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(120_000);
    expect((error as RateLimitError).idempotencyKey).toBe(script.calls[0]?.headers["idempotency-key"]);
    expect(script.calls).toHaveLength(1);
  });
});

describe("deadlineMs", () => {
  it("stops when the next attempt could not start in time and throws the last error", async () => {
    const { client, clock, script } = setup([status(503), status(502), ok()], {
      deadlineMs: 1_000,
      random: () => 0.999,
    });
    const start = clock.now();
    const error = await rejectionOnClock(clock, client.tasks.get(TASK_ID));
    // 503 at 0 ms, wait 499 ms, 502 at 499 ms; the next wait (999 ms) would end past the deadline.
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as APIError).status).toBe(502);
    expect(script.calls).toHaveLength(2);
    expect(clock.now() - start).toBe(499);
  });

  it("does not wait for a Retry-After that ends past the deadline", async () => {
    const { client, clock, script } = setup([status(429, { "Retry-After": "5" }), ok()], { deadlineMs: 2_000 });
    const start = clock.now();
    const error = await rejection(client.tasks.get(TASK_ID));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(script.calls).toHaveLength(1);
    expect(clock.now()).toBe(start);
  });

  it("gives up when the next attempt would start exactly at the deadline", async () => {
    const { client, clock, script } = setup([status(429, { "Retry-After": "1" }), ok()], { deadlineMs: 1_000 });
    const error = await rejectionOnClock(clock, client.tasks.get(TASK_ID));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(script.calls).toHaveLength(1);
  });

  it("retries when the next attempt can still start before the deadline", async () => {
    const { client, clock, script } = setup([status(429, { "Retry-After": "0.9" }), ok()], { deadlineMs: 1_000 });
    const task = await clock.runUntilSettled(client.tasks.get(TASK_ID));
    expect(task.id).toBe(TASK_ID);
    expect(script.calls).toHaveLength(2);
  });

  it("cuts an attempt off at the deadline with APITimeoutError", async () => {
    const { client, clock, script } = setup(["hang"], { deadlineMs: 1_000 });
    const start = clock.now();
    const error = await rejectionOnClock(clock, client.tasks.get(TASK_ID));
    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as Error).message).toMatch(/deadline/);
    expect(clock.now() - start).toBe(1_000);
    expect(script.calls).toHaveLength(1);
  });

  it("shortens a later attempt to the time left and counts the waits", async () => {
    const { client, clock, script } = setup([status(503), "hang", ok()], { deadlineMs: 1_000 });
    const start = clock.now();
    const error = await rejectionOnClock(clock, client.tasks.get(TASK_ID));
    // 503, 250 ms wait, then the second attempt only gets the remaining 750 ms of a 60 s timeout.
    expect(error).toBeInstanceOf(APITimeoutError);
    expect(clock.now() - start).toBe(1_000);
    expect(script.calls).toHaveLength(2);
  });

  it("a per-call deadline applies to a create and keeps the key", async () => {
    const { client, clock, script } = setup([status(503), "hang"]);
    const error = await rejectionOnClock(clock, client.lipSync.create(PARAMS, { deadlineMs: 2_000 }));
    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as APITimeoutError).idempotencyKey).toBe(script.calls[0]?.headers["idempotency-key"]);
    expect(script.calls).toHaveLength(2);
  });
});

describe("per-attempt timeoutMs", () => {
  it("fires APITimeoutError for an attempt that never answers", async () => {
    const { client, clock } = setup(["hang"], { maxRetries: 0 });
    const start = clock.now();
    const error = await rejectionOnClock(clock, client.tasks.get(TASK_ID, { timeoutMs: 1_500 }));
    expect(error).toBeInstanceOf(APITimeoutError);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/timed out after 1500 ms/);
    expect(clock.now() - start).toBe(1_500);
  });

  it("defaults to 60 s", async () => {
    const { client, clock } = setup(["hang"], { maxRetries: 0 });
    const start = clock.now();
    await rejectionOnClock(clock, client.tasks.get(TASK_ID));
    expect(clock.now() - start).toBe(60_000);
  });

  it("aborts the fetch in flight when the caller passed a signal", async () => {
    const { client, clock, script } = setup(["hang"], { maxRetries: 0, timeoutMs: 2_000 });
    const controller = new AbortController();
    const error = await rejectionOnClock(clock, client.tasks.get(TASK_ID, { signal: controller.signal }));
    expect(error).toBeInstanceOf(APITimeoutError);
    expect(script.calls[0]?.signal?.aborted).toBe(true);
  });

  it("counts a body that stalls against the attempt", async () => {
    const stalled = new Response(new ReadableStream({ start() {} }), { status: 200 });
    const { client, clock } = setup([stalled], { maxRetries: 0, timeoutMs: 1_000 });
    const error = await rejectionOnClock(clock, client.tasks.get(TASK_ID));
    expect(error).toBeInstanceOf(APITimeoutError);
  });

  it("concurrent calls each time out on their own schedule", async () => {
    const { client, clock } = setup(["hang", "hang"], { maxRetries: 0 });
    const start = clock.now();
    const settledAt: Record<string, number> = {};
    const slow = client.tasks.get(TASK_ID, { timeoutMs: 5_000 }).catch((error: unknown) => {
      settledAt.slow = clock.now() - start;
      return error;
    });
    const fast = client.tasks.get(TASK_ID, { timeoutMs: 1_000 }).catch((error: unknown) => {
      settledAt.fast = clock.now() - start;
      return error;
    });
    await clock.advance(10_000);
    expect(await slow).toBeInstanceOf(APITimeoutError);
    expect(await fast).toBeInstanceOf(APITimeoutError);
    expect(settledAt).toEqual({ fast: 1_000, slow: 5_000 });
  });

  it("a short timeout after a finished long one still fires on time", async () => {
    const { client, clock } = setup([ok(), "hang"], { maxRetries: 0 });
    await clock.runUntilSettled(client.tasks.get(TASK_ID));
    const start = clock.now();
    const error = await rejectionOnClock(clock, client.tasks.get(TASK_ID, { timeoutMs: 2_000 }));
    expect(error).toBeInstanceOf(APITimeoutError);
    expect(clock.now() - start).toBe(2_000);
  });

  it("leaves no timer that outlives its own timeout after a normal call", async () => {
    const { client, clock } = setup([ok()]);
    await clock.runUntilSettled(client.tasks.get(TASK_ID));
    await clock.advance(60_000);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe("abort", () => {
  it("stops an in-flight request at once and leaves no timer", async () => {
    const { client, clock, script } = setup(["hang", ok()]);
    const controller = new AbortController();
    const pending = client.tasks.get(TASK_ID, { signal: controller.signal });
    await flushMicrotasks();
    expect(script.calls).toHaveLength(1);
    const start = clock.now();
    controller.abort();
    const error = await rejection(pending);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(clock.now()).toBe(start);
    expect(script.calls[0]?.signal?.aborted).toBe(true);
    expect(script.calls).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it("stops a retry wait at once and leaves no timer", async () => {
    const { client, clock, script } = setup([status(503), ok()]);
    const controller = new AbortController();
    const pending = client.tasks.get(TASK_ID, { signal: controller.signal });
    await flushMicrotasks();
    await flushMicrotasks();
    expect(script.calls).toHaveLength(1);
    expect(clock.scheduled).toContain(250);
    controller.abort();
    const error = await rejection(pending);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(clock.pendingTimers()).toBe(0);
    await clock.advance(10_000);
    expect(script.calls).toHaveLength(1);
  });

  it("aborting a create keeps the idempotency key on the error", async () => {
    const { client, script } = setup(["hang"]);
    const controller = new AbortController();
    const pending = client.lipSync.create(PARAMS, { signal: controller.signal });
    await flushMicrotasks();
    controller.abort();
    const error = await rejection(pending);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect((error as RequestAbortedError).idempotencyKey).toBe(script.calls[0]?.headers["idempotency-key"]);
  });

  it("an already-aborted signal sends nothing", async () => {
    const { client, clock, script } = setup([ok()]);
    const error = await rejection(client.tasks.get(TASK_ID, { signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(RequestAbortedError);
    const createError = await rejection(client.lipSync.create(PARAMS, { signal: AbortSignal.abort() }));
    expect(createError).toBeInstanceOf(RequestAbortedError);
    expect(script.calls).toHaveLength(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it("an abort after earlier calls completed still leaves no timer", async () => {
    const { client, clock } = setup([ok(), "hang"]);
    await clock.runUntilSettled(client.tasks.get(TASK_ID));
    const controller = new AbortController();
    const pending = client.tasks.get(TASK_ID, { signal: controller.signal });
    await flushMicrotasks();
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(RequestAbortedError);
    expect(clock.pendingTimers()).toBe(0);
  });

  it("a signal that is never aborted changes nothing", async () => {
    const { client, clock } = setup([status(503), ok()]);
    const task = await clock.runUntilSettled(client.tasks.get(TASK_ID, { signal: new AbortController().signal }));
    expect(task.id).toBe(TASK_ID);
  });
});
