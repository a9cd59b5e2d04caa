import { inspect } from "node:util";
import { jsonResponse } from "@videoretalk/test-support";
import { describe, expect, it } from "vitest";
import { errorFromResponse } from "../../src/http-errors.js";
import {
  APIConnectionError,
  APIError,
  AuthenticationError,
  createVideoRetalk,
  requestIdOf,
  VideoRetalkError,
} from "../../src/index.js";
import { createVideoRetalk as createVideoRetalkForNode } from "../../src/index.node.js";
import { PARAMS, rejectionOnClock, setup, TASK_ID } from "./harness.js";

const KEY = "sk-live-SECRET123456";

/** Every way a user might print or serialise an error. */
function renderings(error: unknown): Record<string, string> {
  const err = error as Error;
  return {
    message: err.message,
    string: String(err),
    json: JSON.stringify(err),
    inspect: inspect(err, { depth: 5 }),
    inspectPlain: inspect(err, { depth: 5, customInspect: false }),
    stack: err.stack ?? "",
    cause: inspect(err.cause, { depth: 5 }),
    causeJson: JSON.stringify(err.cause ?? null) ?? "",
    body: JSON.stringify((err as APIError).body ?? null) ?? "",
    headers: JSON.stringify((err as APIError).headers ?? null) ?? "",
  };
}

function expectNoKey(error: unknown): void {
  expect(error).toBeInstanceOf(VideoRetalkError);
  for (const [how, text] of Object.entries(renderings(error))) {
    expect(text, `the key leaked through ${how}`).not.toContain(KEY);
    expect(text, `part of the key leaked through ${how}`).not.toContain("SECRET123456");
  }
}

function expectLogsClean(logs: unknown[]): void {
  const text = JSON.stringify(logs);
  expect(text).not.toContain(KEY);
}

describe("the API key in server responses", () => {
  const echoes: Array<[string, () => Response]> = [
    [
      "the documented error body",
      () =>
        jsonResponse(401, {
          error: { code: "invalid_api_key", message: `Invalid API key ${KEY}`, type: "authentication_error" },
        }),
    ],
    ["every error field", () => jsonResponse(401, { error: { code: KEY, message: KEY, type: KEY, param: KEY } })],
    ["a top-level message", () => jsonResponse(401, { message: `Bearer ${KEY} rejected`, code: 401 })],
    ["an HTML page", () => new Response(`<html><body>Key ${KEY} refused</body></html>`, { status: 401 })],
    ["plain text", () => new Response(`unauthorized: ${KEY}`, { status: 401 })],
    ["a response header", () => jsonResponse(401, { error: { message: "no" } }, { "x-debug-key": `Bearer ${KEY}` })],
    ["a request-id suffix", () => jsonResponse(401, { error: { message: `denied (request id: ${KEY})` } })],
  ];

  it.each(echoes)("tasks.get: %s", async (_, response) => {
    const { client, clock, logs } = setup([response()], { apiKey: KEY });
    const error = await rejectionOnClock(clock, client.tasks.get(TASK_ID));
    expect(error).toBeInstanceOf(AuthenticationError);
    expectNoKey(error);
    expectLogsClean(logs);
  });

  it.each(echoes)("lipSync.create: %s", async (_, response) => {
    const { client, clock, logs } = setup([response()], { apiKey: KEY });
    const error = await rejectionOnClock(clock, client.lipSync.create(PARAMS));
    expect(error).toBeInstanceOf(AuthenticationError);
    expectNoKey(error);
    expectLogsClean(logs);
  });

  it("a 2xx body that echoes the key and is not a task", async () => {
    const body = { echo: KEY, nested: [{ key: KEY }] };
    const { client, clock } = setup([jsonResponse(200, body, { "x-echo": KEY })], { apiKey: KEY });
    const error = await rejectionOnClock(clock, client.tasks.get(TASK_ID));
    expect(error).toBeInstanceOf(APIError);
    expectNoKey(error);
  });

  it("retried 5xx responses that echo the key stay out of the logs", async () => {
    const echo = () => jsonResponse(503, { error: { message: `upstream rejected ${KEY}` } });
    const { client, clock, logs } = setup([echo(), echo(), echo()], { apiKey: KEY });
    const error = await rejectionOnClock(clock, client.tasks.get(TASK_ID));
    expectNoKey(error);
    expect(logs.length).toBeGreaterThan(0);
    expectLogsClean(logs);
  });

  it("errorFromResponse redacts the secrets it is given", () => {
    const error = errorFromResponse({
      status: 401,
      headers: new Headers(),
      text: JSON.stringify({ error: { message: `bad key ${KEY}` } }),
      secrets: [KEY],
      nowMs: 0,
    });
    expect(error.message).toBe("401: bad key [redacted]");
    expectNoKey(error);
  });
});

describe("the API key in errors thrown by fetch", () => {
  const thrown: Array<[string, () => Error]> = [
    ["its message", () => new Error(`request with Authorization: Bearer ${KEY} failed`)],
    ["a TypeError message", () => new TypeError(`Failed to fetch (${KEY})`)],
    [
      "its cause's message, with a code",
      () =>
        new TypeError("fetch failed", {
          cause: Object.assign(new Error(`socket hang up, key ${KEY}`), { code: "ECONNRESET" }),
        }),
    ],
    [
      "its message, with a connect code",
      () =>
        new TypeError(`fetch failed for ${KEY}`, {
          cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
        }),
    ],
    [
      "a deeply nested cause",
      () =>
        new TypeError("fetch failed", {
          cause: new Error("layer 1", { cause: new Error("layer 2", { cause: new Error(`layer 3 ${KEY}`) }) }),
        }),
    ],
    [
      "an AggregateError member",
      () =>
        new TypeError("fetch failed", {
          cause: new AggregateError([Object.assign(new Error(`attempt with ${KEY}`), { code: "ECONNREFUSED" })], "all"),
        }),
    ],
    ["a code property", () => Object.assign(new Error("weird"), { code: KEY })],
  ];

  it.each(thrown)("tasks.get: %s", async (_, error) => {
    const { client, clock, logs } = setup([error(), error(), error()], { apiKey: KEY });
    const caught = await rejectionOnClock(clock, client.tasks.get(TASK_ID));
    expect(caught).toBeInstanceOf(APIConnectionError);
    expectNoKey(caught);
    expectLogsClean(logs);
  });

  it.each(thrown)("lipSync.create: %s", async (_, error) => {
    const { client, clock, logs } = setup([error(), error(), error()], { apiKey: KEY });
    const caught = await rejectionOnClock(clock, client.lipSync.create(PARAMS));
    expect(caught).toBeInstanceOf(APIConnectionError);
    expectNoKey(caught);
    expectLogsClean(logs);
  });

  it("keeps a harmless cause as it was, for debugging", async () => {
    const original = new TypeError("fetch failed", {
      cause: Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:443"), { code: "ECONNREFUSED" }),
    });
    const { client, clock } = setup([original], { apiKey: KEY, maxRetries: 0 });
    const caught = (await rejectionOnClock(clock, client.tasks.get(TASK_ID))) as Error;
    expect(caught.cause).toBe(original);
  });

  it("keeps the code of a redacted cause", async () => {
    const original = new TypeError(`fetch failed ${KEY}`, {
      cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }),
    });
    const { client, clock } = setup([original], { apiKey: KEY, maxRetries: 0 });
    const caught = (await rejectionOnClock(clock, client.tasks.get(TASK_ID))) as Error;
    expect(caught.message).toContain("ECONNRESET");
    expectNoKey(caught);
  });
});

describe("the API key echoed in request-id headers (issue 8 item 5)", () => {
  const echoes: Array<[string, Record<string, string>]> = [
    ["X-Request-Id", { "x-request-id": `Bearer ${KEY}` }],
    ["X-Oneapi-Request-Id", { "x-oneapi-request-id": `req-${KEY}-1` }],
  ];

  it.each(echoes)("an error response's %s", async (_, headers) => {
    const { client, clock } = setup([jsonResponse(401, { error: { message: "denied" } }, headers)], { apiKey: KEY });
    const error = await rejectionOnClock(clock, client.tasks.get(TASK_ID));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as APIError).requestId).toContain("[redacted]");
    expectNoKey(error);
  });

  it.each(echoes)("a 2xx non-task body's %s", async (_, headers) => {
    const { client, clock } = setup([jsonResponse(200, { nope: true }, headers)], { apiKey: KEY });
    const error = await rejectionOnClock(clock, client.lipSync.create(PARAMS));
    expectNoKey(error);
  });

  it.each(echoes)("requestIdOf a task whose response carried %s", async (_, headers) => {
    const { client, clock } = setup([jsonResponse(200, { id: TASK_ID, status: "pending" }, headers)], { apiKey: KEY });
    const task = await clock.runUntilSettled(client.tasks.get(TASK_ID));
    expect(requestIdOf(task)).toContain("[redacted]");
    expect(requestIdOf(task)).not.toContain("SECRET123456");
  });
});

describe("the API key in what a custom fetch throws (issue 8 item 5)", () => {
  const throwers: Array<[string, () => unknown]> = [
    [
      "an error with the key in an extra property",
      () => Object.assign(new Error("boom"), { config: { headers: { authorization: `Bearer ${KEY}` } } }),
    ],
    [
      "an error with a non-enumerable property",
      () => Object.defineProperty(new Error("boom"), "secret", { value: KEY, enumerable: false }),
    ],
    [
      // Request and Headers keep the key in internal slots that no property walk can search.
      "an error carrying the Request it sent",
      () =>
        Object.assign(new TypeError("fetch failed"), {
          request: new Request("https://api.test.example/v1/tasks/x", { headers: { authorization: `Bearer ${KEY}` } }),
        }),
    ],
    [
      "an error whose cause is a Headers object",
      () => new TypeError("fetch failed", { cause: new Headers({ authorization: `Bearer ${KEY}` }) }),
    ],
    [
      "an error whose cause is a plain object",
      () => new TypeError("fetch failed", { cause: { request: { headers: { Authorization: `Bearer ${KEY}` } } } }),
    ],
    [
      "a plain object",
      () => ({ message: `failed with ${KEY}`, code: "ECONNRESET", headers: { authorization: `Bearer ${KEY}` } }),
    ],
    ["a string", () => `failed with ${KEY}`],
    [
      "an error with the key under a symbol",
      () => Object.assign(new Error("boom"), { [Symbol("authorization")]: `Bearer ${KEY}` }),
    ],
    [
      "an error whose own inspect method prints the key",
      () => Object.assign(new Error("boom"), { [Symbol.for("nodejs.util.inspect.custom")]: () => `Bearer ${KEY}` }),
    ],
    [
      "an error class whose inspect method prints the key",
      () =>
        new (class KeyedError extends Error {
          [Symbol.for("nodejs.util.inspect.custom")]() {
            return `KeyedError: Bearer ${KEY}`;
          }
        })("boom"),
    ],
  ];

  it.each(throwers)("%s", async (_, make) => {
    const { client, clock } = setup([], {
      apiKey: KEY,
      maxRetries: 0,
      fetch: async () => {
        throw make();
      },
    });
    const error = await rejectionOnClock(clock, client.tasks.get(TASK_ID));
    expect(error).toBeInstanceOf(APIConnectionError);
    expectNoKey(error);
    const deep = inspect(error, { depth: 10, customInspect: false, showHidden: true });
    expect(deep).not.toContain("SECRET123456");
  });
});

describe("the API key on the client", () => {
  it("is sent as a bearer token", async () => {
    const { client, clock, script } = setup([jsonResponse(200, { id: TASK_ID, status: "pending" })], { apiKey: KEY });
    await clock.runUntilSettled(client.tasks.get(TASK_ID));
    expect(script.calls[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it.each([
    ["neutral", createVideoRetalk],
    ["Node", createVideoRetalkForNode],
  ])("is not shown by util.inspect or JSON.stringify of the client (%s build)", (_build, create) => {
    const client = create({ apiKey: KEY, baseUrl: "https://api.test.example" });
    for (const text of [
      inspect(client, { depth: 10 }),
      inspect(client, { depth: 10, showHidden: true }),
      JSON.stringify(client),
      String(client),
      inspect(client.lipSync, { depth: 10 }),
      inspect(client.tasks, { depth: 10 }),
      JSON.stringify(Object.entries(client)),
    ]) {
      expect(text).not.toContain(KEY);
    }
    expect(JSON.parse(JSON.stringify(client))).toEqual({ baseUrl: "https://api.test.example", apiKey: "[redacted]" });
  });

  it("util.inspect of a Node-build client shows its summary", () => {
    const client = createVideoRetalkForNode({ apiKey: KEY, baseUrl: "https://api.test.example" });
    expect(inspect(client)).toBe('VideoRetalkClient {"baseUrl":"https://api.test.example","apiKey":"[redacted]"}');
  });

  it("a caller's Authorization header cannot replace the key", async () => {
    const { client, clock, script } = setup([jsonResponse(200, { id: TASK_ID, status: "pending" })], {
      apiKey: KEY,
      headers: { Authorization: "Bearer other" },
    });
    await clock.runUntilSettled(client.tasks.get(TASK_ID, { headers: { AUTHORIZATION: "Bearer third" } }));
    expect(script.calls[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });
});
