import { jsonResponse, networkError } from "@videoretalk/test-support";
import { describe, expect, it } from "vitest";
import { APIError, MAX_BATCH_TASK_IDS, NotFoundError, RateLimitError, ValidationError } from "../../src/index.js";
import { API_KEY, BASE_URL, rejection, rejectionOnClock, setup, taskBody } from "./harness.js";

const ids = (count: number) => Array.from({ length: count }, (_, i) => `task-unified-1756817821-${i}`);
const list = (...tasks: Record<string, unknown>[]) => jsonResponse(200, { object: "list", data: tasks });
const failure = (status: number) =>
  jsonResponse(status, { error: { code: `e${status}`, message: `failed with ${status}`, type: "test_error" } });

describe("tasks.getMany: the request", () => {
  it("POSTs the ids as { task_ids } to /v1/tasks/batch, with the key and no idempotency key", async () => {
    const [first, second] = ids(2) as [string, string];
    const { client, clock, script } = setup([list(taskBody({ id: first, status: "processing" }))]);
    const tasks = await clock.runUntilSettled(client.tasks.getMany([first, second]));

    expect(tasks).toEqual([taskBody({ id: first, status: "processing" })]);
    const [call] = script.calls;
    expect(call?.method).toBe("POST");
    expect(call?.url).toBe(`${BASE_URL}/v1/tasks/batch`);
    expect(JSON.parse(call?.body ?? "null")).toEqual({ task_ids: [first, second] });
    expect(call?.headers["content-type"]).toBe("application/json");
    expect(call?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(call?.headers["idempotency-key"]).toBeUndefined();
  });

  it("accepts exactly 50 ids and returns an empty list when none is known", async () => {
    const { client, clock, script } = setup([list()]);
    await expect(clock.runUntilSettled(client.tasks.getMany(ids(MAX_BATCH_TASK_IDS)))).resolves.toEqual([]);
    expect(JSON.parse(script.calls[0]?.body ?? "null").task_ids).toHaveLength(50);
  });

  it("sends per-call headers", async () => {
    const { client, clock, script } = setup([list()]);
    await clock.runUntilSettled(client.tasks.getMany(ids(1), { headers: { "X-Trace": "t1" } }));
    expect(script.calls[0]?.headers["x-trace"]).toBe("t1");
  });
});

describe("tasks.getMany: bad ids are refused with nothing sent", () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ["no ids", [], /between 1 and 50.*got 0/],
    ["51 ids", ids(51), /between 1 and 50.*got 51/],
    ["not an array", "task-unified-1", /must be an array/],
    ["an empty id", ["task-unified-1", ""], /task_ids\[1\]: task_id must be a non-empty string/],
    ["a non-string id", [42], /task_ids\[0\]:/],
    ["a dot-segment id", [".."], /task_ids\[0\]: task_id cannot be "\.\."/],
  ];
  it.each(cases)("%s → ValidationError naming task_ids", async (_, input, message) => {
    const { client, script } = setup([]);
    const error = await rejection(client.tasks.getMany(input as string[]));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("task_ids");
    expect((error as ValidationError).message).toMatch(message);
    expect(script.calls).toHaveLength(0);
  });
});

describe("tasks.getMany: answers", () => {
  it("a server without the endpoint: 404 is a NotFoundError, 405 an APIError with status 405", async () => {
    const notFound = setup([failure(404)], { maxRetries: 0 });
    const error404 = await rejectionOnClock(notFound.clock, notFound.client.tasks.getMany(ids(2)));
    expect(error404).toBeInstanceOf(NotFoundError);
    expect((error404 as APIError).status).toBe(404);

    const notAllowed = setup([new Response("Method Not Allowed", { status: 405 })]);
    const error405 = await rejectionOnClock(notAllowed.clock, notAllowed.client.tasks.getMany(ids(2)));
    expect(error405).toBeInstanceOf(APIError);
    expect((error405 as APIError).status).toBe(405);
    // A 405 is final: it is not retried.
    expect(notAllowed.script.calls).toHaveLength(1);
  });

  it("a 200 that is not a task list is an APIError (the shape is named), not an empty result", async () => {
    const { client, clock } = setup([jsonResponse(200, { data: [{ id: 1 }] })]);
    const error = await rejectionOnClock(clock, client.tasks.getMany(ids(1)));
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toMatch(/not a task list/);
  });

  it("a 429 surfaces as RateLimitError with retryAfterMs once retries are spent", async () => {
    const limited = () => jsonResponse(429, { error: { code: "rate_limit_exceeded" } }, { "retry-after": "2" });
    const { client, clock, script } = setup([limited(), limited()], { maxRetries: 1 });
    const error = await rejectionOnClock(clock, client.tasks.getMany(ids(1)));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(2_000);
    expect(script.calls).toHaveLength(2);
  });
});

describe("tasks.getMany is retried like a read (GET), not like a create", () => {
  it.each<[string, () => Response | Error | "hang"]>([
    ["a 500", () => failure(500)],
    ["a dropped connection (ECONNRESET)", () => networkError("ECONNRESET")],
    ["a per-attempt timeout", () => "hang"],
  ])("retries after %s and returns the tasks", async (_, step) => {
    const [id] = ids(1) as [string];
    const { client, clock, script } = setup([step(), list(taskBody({ id }))], { timeoutMs: 1_000 });
    const tasks = await clock.runUntilSettled(client.tasks.getMany([id]));
    expect(tasks.map((task) => task.id)).toEqual([id]);
    expect(script.calls.map((call) => call.method)).toEqual(["POST", "POST"]);
    expect(script.calls[1]?.body).toBe(script.calls[0]?.body);
  });
});
