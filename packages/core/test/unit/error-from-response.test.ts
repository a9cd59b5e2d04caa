import { jsonResponse } from "@videoretalk/test-support";
import { describe, expect, it } from "vitest";
import { errorFromResponse } from "../../src/http-errors.js";
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  AuthenticationError,
  BadRequestError,
  InsufficientCreditsError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestAbortedError,
  ValidationError,
  VideoRetalkError,
} from "../../src/index.js";
import { PARAMS, rejectionOnClock, setup, TASK_ID, taskBody } from "./harness.js";

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);

function fromResponse(status: number, text: string, headers: Record<string, string> = {}): APIError {
  return errorFromResponse({ status, headers: new Headers(headers), text, secrets: [], nowMs: NOW });
}

const errorJson = (fields: Record<string, unknown>) => JSON.stringify({ error: fields });

const CLASSES: Array<[number, new (...args: never[]) => APIError]> = [
  [400, BadRequestError],
  [401, AuthenticationError],
  [402, InsufficientCreditsError],
  [403, PermissionDeniedError],
  [404, NotFoundError],
  [429, RateLimitError],
  [500, InternalServerError],
  [502, InternalServerError],
  [503, InternalServerError],
  [504, InternalServerError],
];

describe("errorFromResponse", () => {
  it.each(CLASSES)("maps %i to %o", (status, ErrorClass) => {
    const error = fromResponse(status, errorJson({ code: "some_code", message: "Something went wrong" }));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(VideoRetalkError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(ErrorClass.name);
    expect(error.status).toBe(status);
    expect(error.message).toContain("Something went wrong");
    expect(error.message).toContain(String(status));
  });

  it.each([409, 410, 418, 422])("maps %i, which has no class of its own, to the base APIError", (status) => {
    const error = fromResponse(status, errorJson({ code: "conflict", message: "nope" }));
    expect(error.constructor).toBe(APIError);
    expect(error.name).toBe("APIError");
    expect(error.status).toBe(status);
  });

  it("reads code, type and param from the documented body", () => {
    const error = fromResponse(
      400,
      errorJson({
        code: "invalid_parameter",
        message: "task_id is malformed",
        type: "invalid_request_error",
        param: "task_id",
      }),
    );
    expect(error).toMatchObject({
      status: 400,
      code: "invalid_parameter",
      type: "invalid_request_error",
      param: "task_id",
    });
    expect(error.message).toBe("400 invalid_parameter: task_id is malformed");
  });

  it("keeps a numeric code as a number", () => {
    const error = fromResponse(402, errorJson({ code: 40201, message: "Insufficient quota" }));
    expect(error).toBeInstanceOf(InsufficientCreditsError);
    expect(error.code).toBe(40201);
    expect(error.message).toContain("40201");
  });

  it("reads a passthrough body with the fields at the top level", () => {
    const error = fromResponse(401, JSON.stringify({ code: "invalid_api_key", message: "Invalid token" }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe("invalid_api_key");
    expect(error.message).toContain("Invalid token");
  });

  it("takes requestId from X-Request-Id", () => {
    const error = fromResponse(500, errorJson({ message: "boom" }), {
      "X-Request-Id": "req-primary",
      "X-Oneapi-Request-Id": "req-fallback",
    });
    expect(error.requestId).toBe("req-primary");
    expect(error.message).toContain("req-primary");
  });

  it("falls back to X-Oneapi-Request-Id", () => {
    const error = fromResponse(500, errorJson({ message: "boom" }), { "X-Oneapi-Request-Id": "req-fallback" });
    expect(error.requestId).toBe("req-fallback");
  });

  it('takes requestId from a "(request id: …)" message suffix and strips it from the text', () => {
    const error = fromResponse(
      403,
      errorJson({ code: "model_access_denied", message: "Token has no access to model (request id: 20260101abcdef)" }),
    );
    expect(error.requestId).toBe("20260101abcdef");
    expect(error.message).toBe("403 model_access_denied: Token has no access to model (request id: 20260101abcdef)");
  });

  it("prefers the header over the message suffix", () => {
    const error = fromResponse(403, errorJson({ message: "denied (request id: from-body)" }), {
      "x-request-id": "from-header",
    });
    expect(error.requestId).toBe("from-header");
  });

  it("exposes response headers lower-cased, without set-cookie", () => {
    const error = fromResponse(429, errorJson({ message: "slow down" }), {
      "Retry-After": "4",
      "Set-Cookie": "session=abc; HttpOnly",
      "X-RateLimit-Remaining": "0",
    });
    expect(error.headers["retry-after"]).toBe("4");
    expect(error.headers["x-ratelimit-remaining"]).toBe("0");
    expect(error.headers).not.toHaveProperty("set-cookie");
    expect(JSON.stringify(error)).not.toContain("session=abc");
    expect(error.retryAfterMs).toBe(4_000);
  });

  const HTML =
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx upstream lobster</body></html>";
  const malformed: Array<[string, string, Record<string, string>, RegExp]> = [
    ["an HTML page", HTML, { "content-type": "text/html" }, /HTML page/],
    ["an HTML page labelled as JSON", HTML, { "content-type": "application/json" }, /HTML page/],
    ["an empty body", "", {}, /empty body/],
    ["truncated JSON", '{"error": {"message": "the lobster was', {}, /truncated or invalid JSON/],
    ["a JSON array", '["lobster", 1, 2]', {}, /not the documented error shape/],
    ["a JSON object of another shape", '{"lobster": true}', {}, /not the documented error shape/],
    ["JSON null", "null", {}, /not the documented error shape/],
    ["plain text", "upstream lobster connect error or disconnect/reset before headers", {}, /not JSON/],
  ];

  it.each(malformed)("handles %s: right class, short message, body not echoed", (_, text, headers, expected) => {
    for (const [status, ErrorClass] of CLASSES) {
      const error = fromResponse(status, text, headers);
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error.status).toBe(status);
      expect(error.message).toMatch(expected);
      expect(error.message).not.toMatch(/lobster|nginx|<html/i);
      expect(error.message.length).toBeLessThan(120);
      expect(error.code).toBeUndefined();
    }
  });

  it("describes an error object without a message", () => {
    const error = fromResponse(500, errorJson({ code: "internal" }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.code).toBe("internal");
    expect(error.message).toBe("500 internal: the API answered with an error without a message");
  });

  it("caps a very long API message", () => {
    const error = fromResponse(400, errorJson({ message: "x".repeat(5_000) }));
    expect(error.message.length).toBeLessThan(400);
  });

  it("ignores fields of the wrong type", () => {
    const error = fromResponse(400, errorJson({ code: { nested: true }, message: 42, type: 7, param: ["a"] }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.code).toBeUndefined();
    expect(error.type).toBeUndefined();
    expect(error.param).toBeUndefined();
  });
});

describe("error mapping through the client", () => {
  it.each(CLASSES)("tasks.get maps %i to %o", async (status, ErrorClass) => {
    const { client, clock } = setup(
      [
        jsonResponse(
          status,
          { error: { code: "c", message: "m", type: "t", param: "task_id" } },
          { "x-request-id": "req-1" },
        ),
      ],
      { maxRetries: 0 },
    );
    const error = (await rejectionOnClock(clock, client.tasks.get(TASK_ID))) as APIError;
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(VideoRetalkError);
    expect(error).toMatchObject({
      status,
      code: "c",
      type: "t",
      param: "task_id",
      requestId: "req-1",
      taskId: TASK_ID,
    });
  });

  it.each(CLASSES)("lipSync.create maps %i to %o and carries the idempotency key", async (status, ErrorClass) => {
    const { client, clock, script } = setup(
      [jsonResponse(status, { error: { code: "c", message: "m", type: "t" } }, { "x-oneapi-request-id": "req-2" })],
      { maxRetries: 0 },
    );
    const error = (await rejectionOnClock(clock, client.lipSync.create(PARAMS))) as APIError;
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.requestId).toBe("req-2");
    expect(error.idempotencyKey).toBe(script.calls[0]?.headers["idempotency-key"]);
  });

  it.each([409, 422])("tasks.get maps %i to the base APIError", async (status) => {
    const { client, clock } = setup([jsonResponse(status, { error: { message: "m" } })]);
    const error = await rejectionOnClock(clock, client.tasks.get(TASK_ID));
    expect((error as APIError).constructor).toBe(APIError);
  });

  it("an HTML 502 page from a proxy still maps to InternalServerError", async () => {
    const page = () =>
      new Response("<html><body><h1>502 Bad Gateway</h1>cloudflare</body></html>", {
        status: 502,
        headers: { "content-type": "text/html" },
      });
    const { client, clock } = setup([page(), page(), page()]);
    const error = (await rejectionOnClock(clock, client.tasks.get(TASK_ID))) as APIError;
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.message).not.toContain("cloudflare");
  });

  it.each<[string, () => Response]>([
    ["a JSON object without an id", () => jsonResponse(200, { status: "pending" })],
    ["a numeric id", () => jsonResponse(200, { id: 12345, status: "pending" })],
    ["a JSON array", () => jsonResponse(200, [taskBody()])],
    ["an empty body", () => new Response("", { status: 200 })],
    ["an HTML page", () => new Response("<html>welcome to the captive portal</html>", { status: 200 })],
    ["truncated JSON", () => new Response('{"id": "task-unified-1', { status: 200 })],
    ["no status", () => jsonResponse(200, { id: TASK_ID })],
  ])("a 2xx with %s is a base APIError, not a task", async (_, response) => {
    const { client, clock } = setup([response(), response()]);
    const getError = (await rejectionOnClock(clock, client.tasks.get(TASK_ID))) as APIError;
    expect(getError.constructor).toBe(APIError);
    expect(getError.status).toBe(200);
    expect(getError.message).not.toMatch(/captive portal|task-unified-1/);
    expect(getError.message.length).toBeLessThan(120);
    const createError = (await rejectionOnClock(clock, client.lipSync.create(PARAMS))) as APIError;
    expect(createError.constructor).toBe(APIError);
    expect(createError.idempotencyKey).toMatch(/^[A-Za-z0-9._-]{16,96}$/);
  });
});

describe("tasks.get results", () => {
  it.each(["pending", "processing", "completed"])("returns a %s task", async (status) => {
    const { client, clock } = setup([jsonResponse(200, taskBody({ status }))]);
    await expect(clock.runUntilSettled(client.tasks.get(TASK_ID))).resolves.toMatchObject({ id: TASK_ID, status });
  });

  it("returns a failed task instead of throwing", async () => {
    const failed = taskBody({
      status: "failed",
      progress: 0,
      error: { code: "face_not_detected", message: "No face found in the video." },
    });
    const { client, clock } = setup([jsonResponse(200, failed)]);
    const task = await clock.runUntilSettled(client.tasks.get(TASK_ID));
    expect(task.status).toBe("failed");
    expect(task.error).toEqual({ code: "face_not_detected", message: "No face found in the video." });
  });

  it("returns a cancelled task instead of throwing", async () => {
    const { client, clock } = setup([jsonResponse(200, taskBody({ status: "cancelled" }))]);
    const task = await clock.runUntilSettled(client.tasks.get(TASK_ID));
    expect(task.status).toBe("cancelled");
  });

  it("passes an unknown status and extra fields through unchanged", async () => {
    const body = taskBody({ status: "queued_for_review", brand_new_field: { nested: [1, 2] }, results: [] });
    const { client, clock } = setup([jsonResponse(200, body)]);
    const task = await clock.runUntilSettled(client.tasks.get(TASK_ID));
    expect(task).toEqual(body);
  });
});

describe("error classes", () => {
  it("every class sets its own name and is a VideoRetalkError", () => {
    const errors: VideoRetalkError[] = [
      new APIConnectionError("x"),
      new APITimeoutError("x"),
      new RequestAbortedError("x"),
      new ValidationError("video_url", "x"),
    ];
    expect(errors.map((e) => e.name)).toEqual([
      "APIConnectionError",
      "APITimeoutError",
      "RequestAbortedError",
      "ValidationError",
    ]);
    for (const error of errors) expect(error).toBeInstanceOf(VideoRetalkError);
    expect(new APITimeoutError("x")).toBeInstanceOf(APIConnectionError);
  });

  it("JSON output is a small summary without the raw body", () => {
    const error = fromResponse(400, errorJson({ code: "bad", message: "bad input", extra: "x".repeat(1_000) }), {
      "x-request-id": "r",
    });
    const json = JSON.parse(JSON.stringify(error));
    expect(json).toMatchObject({ name: "BadRequestError", message: error.message, status: 400, code: "bad" });
    expect(json).not.toHaveProperty("body");
    expect(error.body).toMatchObject({ error: { code: "bad" } });
  });
});
