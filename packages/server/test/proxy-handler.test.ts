import { inspect } from "node:util";
import { createVideoRetalk, IDEMPOTENCY_KEY_PATTERN, ValidationError } from "@videoretalk/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createProxyHandler, ProxyError, type ProxyHandlerOptions } from "../src/index.js";
import { type FakeApi, startFakeApi, taskBody } from "./support/fake-api.js";

const API_KEY = "sk-test-SERVERKEY-0123456789abcdef";
const ORIGIN = "http://app.test";
const BASE = "/api/videoretalk";
const VALID = { video_url: "https://cdn.example.com/speaker.mp4", audio_url: "https://cdn.example.com/speech.wav" };
const BROWSER_HEADERS = {
  authorization: "Bearer user-session-token",
  cookie: "session=browser-cookie",
  "x-api-key": "browser-key",
  "x-forwarded-for": "203.0.113.9",
  "user-agent": "Mozilla/5.0 (browser)",
  origin: ORIGIN,
  referer: `${ORIGIN}/page`,
  "x-custom": "smuggled",
};
// What may reach the API: ours, plus what fetch itself adds to every request.
const UPSTREAM_HEADERS = new Set([
  "authorization",
  "content-type",
  "accept",
  "idempotency-key",
  "host",
  "connection",
  "content-length",
  "user-agent",
  "accept-encoding",
  "accept-language",
  "sec-fetch-mode",
]);
const BROWSER_VISIBLE = new Set(["content-type", "x-request-id", "retry-after"]);

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi();
});
afterAll(() => api.close());
beforeEach(() => {
  api.received.length = 0;
});

function proxy(overrides: Partial<ProxyHandlerOptions> = {}) {
  return createProxyHandler({
    authorize: () => true,
    apiKey: API_KEY,
    baseUrl: api.url,
    basePath: BASE,
    onError: () => {},
    ...overrides,
  });
}

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return new Request(`${ORIGIN}${BASE}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

function get(path: string, headers: Record<string, string> = {}) {
  return new Request(`${ORIGIN}${BASE}${path}`, { headers });
}

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(["error"]);
  expect(typeof body.error.code).toBe("string");
  expect(typeof body.error.message).toBe("string");
  expect(typeof body.error.type).toBe("string");
  return body.error;
}

describe("construction", () => {
  it("throws without authorize", () => {
    expect(() => createProxyHandler({} as ProxyHandlerOptions)).toThrow(ValidationError);
    expect(() => createProxyHandler({ authorize: true } as unknown as ProxyHandlerOptions)).toThrow(/authorize/);
    expect(() => createProxyHandler(undefined as unknown as ProxyHandlerOptions)).toThrow(/authorize/);
  });

  it("refuses ambiguous or invalid options", () => {
    const client = { lipSync: { create: vi.fn() }, tasks: { get: vi.fn() } };
    expect(() => proxy({ client } as Partial<ProxyHandlerOptions>)).toThrow(/either client or apiKey/);
    expect(() => proxy({ basePath: "/api/../admin" })).toThrow(/basePath/);
    expect(() => proxy({ callbackHosts: ["https://hooks.example.com/x"] })).toThrow(/callbackHosts/);
    expect(() => proxy({ maxBodyBytes: 0 })).toThrow(/maxBodyBytes/);
    expect(() => proxy({ apiKey: "has space" })).toThrow(ValidationError);
  });
});

describe("routing: only the two operations pass", () => {
  const notFound = [
    "/api/videoretalk/v1/models",
    "/api/videoretalk/v1/tasks",
    "/api/videoretalk/v1/tasks/",
    "/api/videoretalk/v1/tasks/a/b",
    "/api/videoretalk/v1/tasks/../x",
    "/api/videoretalk/v1/tasks/../../../v1/files",
    "/api/videoretalk/v1/tasks/%2e%2e",
    "/api/videoretalk/v1/tasks/a%2Fb",
    "/api/videoretalk/v1/tasks/a%2fb",
    "/api/videoretalk/v1/tasks/..%2F..%2Fadmin",
    "/api/videoretalk/v1/tasks/a%5Cb",
    "/api/videoretalk/v1/tasks/%00",
    "/api/videoretalk/v1/tasks/task%20id",
    "/api/videoretalk//v1/tasks/abc",
    "/api/videoretalk/v1//tasks/abc",
    "/api/videoretalk/v1/tasks//abc",
    "/api/videoretalk/v1/videos/generations/",
    "/api/videoretalk/V1/tasks/abc",
    "/api/videoretalkx/v1/tasks/abc",
    "/v1/tasks/abc",
    "/api/videoretalk",
    "/",
  ];

  it.each(notFound)("GET %s → 404, nothing forwarded", async (path) => {
    const authorize = vi.fn(() => true);
    const response = await proxy({ authorize })(new Request(`${ORIGIN}${path}`, { headers: BROWSER_HEADERS }));
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe("not_found");
    expect(authorize).not.toHaveBeenCalled();
    expect(api.received).toHaveLength(0);
  });

  it("POST to unknown paths is 404 too", async () => {
    for (const path of ["/v1/tasks/abc/cancel", "/v1/files/upload/url", "/v1/videos/generations/x"]) {
      const response = await proxy()(post(path, VALID));
      expect(response.status, path).toBe(404);
    }
    expect(api.received).toHaveLength(0);
  });

  it.each([
    ["GET", "/v1/videos/generations", "POST"],
    ["PUT", "/v1/videos/generations", "POST"],
    ["DELETE", "/v1/tasks/task-1", "GET"],
    ["POST", "/v1/tasks/task-1", "GET"],
    ["PATCH", "/v1/tasks/task-1", "GET"],
    ["HEAD", "/v1/tasks/task-1", "GET"],
    ["OPTIONS", "/v1/videos/generations", "POST"],
  ])("%s %s → 405 with Allow: %s", async (method, path, allow) => {
    const authorize = vi.fn(() => true);
    const response = await proxy({ authorize })(new Request(`${ORIGIN}${BASE}${path}`, { method }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe(allow);
    if (method !== "HEAD") expect((await errorOf(response)).code).toBe("method_not_allowed");
    expect(authorize).not.toHaveBeenCalled();
    expect(api.received).toHaveLength(0);
  });

  it("works at the root when basePath is omitted", async () => {
    const handler = proxy({ basePath: undefined });
    expect((await handler(new Request(`${ORIGIN}/v1/tasks/task-1`))).status).toBe(200);
    expect((await handler(new Request(`${ORIGIN}${BASE}/v1/tasks/task-1`))).status).toBe(404);
  });
});

describe("authorize", () => {
  it("false → 403 and nothing forwarded", async () => {
    const response = await proxy({ authorize: () => false })(post("/v1/videos/generations", VALID));
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatchObject({ code: "permission_denied" });
    expect(api.received).toHaveLength(0);
  });

  it("only a literal true or { subject } passes (other truthy values are refused)", async () => {
    for (const value of ["yes", 1, {}, undefined, { subject: "" }, { subject: 42 }, [true]]) {
      const authorize = (() => value) as unknown as ProxyHandlerOptions["authorize"];
      expect((await proxy({ authorize })(get("/v1/tasks/task-1"))).status).toBe(403);
    }
    expect(api.received).toHaveLength(0);
  });

  it("throw → 500 without details, reported to onError", async () => {
    const onError = vi.fn();
    const response = await proxy({
      authorize: async () => {
        throw new Error("db password hunter2 rejected");
      },
      onError,
    })(get("/v1/tasks/task-1"));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("hunter2");
    expect(JSON.parse(text).error.code).toBe("internal_error");
    expect(onError).toHaveBeenCalledOnce();
    expect(api.received).toHaveLength(0);
  });

  it("a thrown ProxyError answers its own status", async () => {
    const response = await proxy({
      authorize: () => {
        throw new ProxyError(401, "Sign in first.", { code: "not_signed_in", type: "authentication_error" });
      },
    })(get("/v1/tasks/task-1"));
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toEqual({
      code: "not_signed_in",
      message: "Sign in first.",
      type: "authentication_error",
    });
  });

  it("receives the request and the operation", async () => {
    const authorize = vi.fn<ProxyHandlerOptions["authorize"]>(() => true);
    const handler = proxy({ authorize });
    await handler(get("/v1/tasks/task-unified-1-abc", { cookie: "session=1" }));
    await handler(post("/v1/videos/generations", VALID));
    expect(authorize.mock.calls[0]?.[1]).toEqual({ operation: "get", taskId: "task-unified-1-abc" });
    expect(authorize.mock.calls[0]?.[0].headers.get("cookie")).toBe("session=1");
    expect(authorize.mock.calls[1]?.[1]).toEqual({ operation: "create" });
  });
});

describe("create body checks", () => {
  it("413 when Content-Length is over the cap, before reading", async () => {
    const handler = proxy({ maxBodyBytes: 100 });
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled++;
          controller.enqueue(new Uint8Array(10));
        },
      },
      { highWaterMark: 0 },
    );
    const request = new Request(`${ORIGIN}${BASE}/v1/videos/generations`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": "101" },
      body,
      duplex: "half",
    } as RequestInit);
    const response = await handler(request);
    expect(response.status).toBe(413);
    expect(await errorOf(response)).toMatchObject({ code: "request_too_large" });
    expect(pulled).toBe(0);
    expect(api.received).toHaveLength(0);
  });

  it("413 when the streamed body passes the cap, and the stream is cancelled", async () => {
    let pulled = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(16 * 1024).fill(32));
      },
      cancel() {
        cancelled = true;
      },
    });
    const request = new Request(`${ORIGIN}${BASE}/v1/videos/generations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    const response = await proxy()(request);
    expect(response.status).toBe(413);
    expect(cancelled).toBe(true);
    // 64 KiB cap / 16 KiB chunks: the fifth chunk crosses it; a little read-ahead is fine.
    expect(pulled).toBeLessThan(10);
    expect(api.received).toHaveLength(0);
  });

  it("accepts a body exactly at the cap", async () => {
    const text = JSON.stringify(VALID);
    const response = await proxy({ maxBodyBytes: new TextEncoder().encode(text).length })(
      post("/v1/videos/generations", text),
    );
    expect(response.status).toBe(200);
  });

  it("415 for a body that is not declared JSON", async () => {
    const response = await proxy()(post("/v1/videos/generations", VALID, { "content-type": "text/plain" }));
    expect(response.status).toBe(415);
    expect((await errorOf(response)).code).toBe("unsupported_media_type");
    expect(api.received).toHaveLength(0);
  });

  it("400 for invalid JSON or invalid UTF-8", async () => {
    expect((await proxy()(post("/v1/videos/generations", "{not json"))).status).toBe(400);
    const bytes = new Uint8Array([0x7b, 0xff, 0x7d]);
    const response = await proxy()(
      new Request(`${ORIGIN}${BASE}/v1/videos/generations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: bytes,
      }),
    );
    expect(response.status).toBe(400);
    expect(api.received).toHaveLength(0);
  });

  it.each([
    [{ ...VALID, query_face_threshold: 999 }, "query_face_threshold"],
    [{ ...VALID, video_url: "ftp://x/y.mp4" }, "video_url"],
    [{ audio_url: VALID.audio_url }, "video_url"],
    [{ ...VALID, model: "other-model" }, "model"],
    [{ ...VALID, api_key: "x" }, "api_key"],
    [{ ...VALID, ref_image_url: null }, "ref_image_url"],
    [[VALID], "params"],
  ])("400 naming the field for %j", async (body, field) => {
    const response = await proxy()(post("/v1/videos/generations", body));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error).toMatchObject({ code: "invalid_parameter", type: "invalid_request_error", param: field });
    expect(String(error.message)).toContain(field === "params" ? "parameters object" : field);
    expect(api.received).toHaveLength(0);
  });

  it("400 for a malformed Idempotency-Key", async () => {
    const response = await proxy()(post("/v1/videos/generations", VALID, { "idempotency-key": "short" }));
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({ param: "Idempotency-Key" });
    expect(api.received).toHaveLength(0);
  });
});

describe("callback_url allowlist", () => {
  const withCallback = (url: string) => ({ ...VALID, callback_url: url });

  it("refuses any callback_url when no callbackHosts are configured", async () => {
    const response = await proxy()(post("/v1/videos/generations", withCallback("https://hooks.example.com/cb")));
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({ code: "callback_url_not_allowed", param: "callback_url" });
    expect(api.received).toHaveLength(0);
  });

  it("refuses hosts outside the allowlist, including look-alikes", async () => {
    const handler = proxy({ callbackHosts: ["hooks.example.com", "*.cb.example.net"] });
    for (const url of [
      "https://evil.example.com/cb",
      "https://hooks.example.com.evil.io/cb",
      "https://hooks.example.com@evil.io/cb",
      "https://cb.example.net/cb",
      "https://xcb.example.net/cb",
    ]) {
      const response = await handler(post("/v1/videos/generations", withCallback(url)));
      expect(response.status, url).toBe(400);
      expect((await errorOf(response)).param).toBe("callback_url");
    }
    // Core's own rules still apply to allowed names: https only, no private addresses.
    const http = await handler(post("/v1/videos/generations", withCallback("http://hooks.example.com/cb")));
    expect(http.status).toBe(400);
    expect(api.received).toHaveLength(0);
  });

  it("forwards callbacks to allowed hosts", async () => {
    const handler = proxy({ callbackHosts: ["Hooks.Example.com", "*.cb.example.net"] });
    for (const url of [
      "https://hooks.example.com/cb?x=1",
      "https://HOOKS.example.com./cb",
      "https://a.b.cb.example.net/x",
    ]) {
      const response = await handler(post("/v1/videos/generations", withCallback(url)));
      expect(response.status, url).toBe(200);
    }
    // Forwarded in the normalised form that was checked.
    expect(api.received.map((r) => JSON.parse(r.body).callback_url)).toEqual([
      "https://hooks.example.com/cb?x=1",
      "https://hooks.example.com./cb",
      "https://a.b.cb.example.net/x",
    ]);
  });
});

describe("beforeCreate", () => {
  it("rewrites the parameters (e.g. forces the server's own callback URL)", async () => {
    const beforeCreate = vi.fn((params, request: Request) => ({
      ...params,
      callback_url: `https://app.example.com/hooks/vr?user=${request.headers.get("x-user")}`,
    }));
    const response = await proxy({ beforeCreate })(
      post("/v1/videos/generations", { ...VALID, query_face_threshold: 150 }, { "x-user": "42" }),
    );
    expect(response.status).toBe(200);
    expect(beforeCreate).toHaveBeenCalledOnce();
    expect(beforeCreate.mock.calls[0]?.[0]).toEqual({ ...VALID, query_face_threshold: 150, model: "videoretalk" });
    expect(JSON.parse(api.received[0]?.body ?? "")).toEqual({
      ...VALID,
      query_face_threshold: 150,
      model: "videoretalk",
      callback_url: "https://app.example.com/hooks/vr?user=42",
    });
  });

  it("a throw refuses with 403 and no details", async () => {
    const onError = vi.fn();
    const response = await proxy({
      beforeCreate: () => {
        throw new Error("quota table says user 42 has 0 credits");
      },
      onError,
    })(post("/v1/videos/generations", VALID));
    expect(response.status).toBe(403);
    const text = await response.text();
    expect(text).not.toContain("quota table");
    expect(JSON.parse(text).error.code).toBe("request_refused");
    expect(onError).toHaveBeenCalledOnce();
    expect(api.received).toHaveLength(0);
  });

  it("a ProxyError refuses with its status, code and message", async () => {
    const response = await proxy({
      beforeCreate: async () => {
        throw new ProxyError(402, "Monthly quota used up.", { code: "quota_exceeded" });
      },
    })(post("/v1/videos/generations", VALID));
    expect(response.status).toBe(402);
    expect(await errorOf(response)).toEqual({
      code: "quota_exceeded",
      message: "Monthly quota used up.",
      type: "invalid_request_error",
    });
    expect(api.received).toHaveLength(0);
  });

  it("invalid output is the server's fault: 500, nothing forwarded", async () => {
    const response = await proxy({
      beforeCreate: (params) => ({ ...params, callback_url: "https://127.0.0.1/internal" }),
    })(post("/v1/videos/generations", VALID));
    expect(response.status).toBe(500);
    expect(api.received).toHaveLength(0);
  });
});

describe("forwarding", () => {
  it("create: sends only the validated body and the allowed headers, with the server's key", async () => {
    const key = "idem-key-0123456789abcdef";
    const response = await proxy()(
      post("/v1/videos/generations", VALID, { ...BROWSER_HEADERS, "idempotency-key": key, accept: "text/html" }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(taskBody("task-unified-1756817821-abcd1234"));
    expect(api.received).toHaveLength(1);
    const [upstream] = api.received;
    expect(upstream?.method).toBe("POST");
    expect(upstream?.url).toBe("/v1/videos/generations");
    expect(JSON.parse(upstream?.body ?? "")).toEqual({ ...VALID, model: "videoretalk" });
    expect(upstream?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(upstream?.headers["idempotency-key"]).toMatch(/^[0-9a-f]{64}$/);
    expect(upstream?.headers["idempotency-key"]).not.toContain(key);
    expect(upstream?.headers["content-type"]).toBe("application/json");
    expect(upstream?.headers.accept).toBe("application/json");
    expect(upstream?.headers["user-agent"]).not.toContain("Mozilla");
    for (const name of Object.keys(upstream?.headers ?? {})) expect(UPSTREAM_HEADERS, name).toContain(name);
    for (const value of Object.values(upstream?.headers ?? {})) {
      expect(String(value)).not.toMatch(/user-session-token|browser-cookie|browser-key\b|smuggled|203\.0\.113\.9/);
    }
  });

  it("create: adds an Idempotency-Key when the caller sent none", async () => {
    await proxy()(post("/v1/videos/generations", VALID));
    expect(api.received[0]?.headers["idempotency-key"]).toMatch(IDEMPOTENCY_KEY_PATTERN);
  });

  it("get: reads the task with the server's key and nothing of the caller's", async () => {
    const response = await proxy()(get("/v1/tasks/task-unified-1756817821-abcd1234?x=1", BROWSER_HEADERS));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: "task-unified-1756817821-abcd1234", status: "processing" });
    const [upstream] = api.received;
    expect(upstream?.method).toBe("GET");
    // The query string is not forwarded either.
    expect(upstream?.url).toBe("/v1/tasks/task-unified-1756817821-abcd1234");
    expect(upstream?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(upstream?.headers.cookie).toBeUndefined();
    expect(upstream?.headers["x-api-key"]).toBeUndefined();
    for (const name of Object.keys(upstream?.headers ?? {})) expect(UPSTREAM_HEADERS, name).toContain(name);
  });

  it("returns only Content-Type, X-Request-Id and Retry-After from upstream", async () => {
    const noisy = {
      "set-cookie": ["upstream_session=abc; HttpOnly", "other=1"],
      "x-internal-route": "pod-7",
      server: "gateway/1.2",
      "access-control-allow-origin": "*",
      "x-request-id": "req_abc",
      "retry-after": "3",
    };
    api.reply(
      { status: 200, headers: noisy, body: taskBody("task-1", "completed") },
      {
        status: 429,
        headers: noisy,
        body: { error: { code: "rate_limit_exceeded", message: "Slow down", type: "rate_limit_error" } },
      },
    );
    const handler = proxy();
    for (const expected of [200, 429]) {
      const response = await handler(get("/v1/tasks/task-1"));
      expect(response.status).toBe(expected);
      for (const name of response.headers.keys()) expect(BROWSER_VISIBLE, name).toContain(name);
      if (expected === 429) {
        expect(response.headers.get("x-request-id")).toBe("req_abc");
        expect(response.headers.get("retry-after")).toBe("3");
      }
    }
  });

  it("passes the upstream X-Request-Id of a successful read and create to the browser", async () => {
    const handler = proxy();
    api.reply({ status: 200, body: { id: "task-1", status: "processing", progress: 40 } });
    const read = await handler(get("/v1/tasks/task-1"));
    expect(read.status).toBe(200);
    expect(read.headers.get("x-request-id")).toBe("req_upstream_1");
    api.reply({ status: 200, body: { id: "task-2", status: "pending", progress: 0 } });
    const created = await handler(
      new Request(`${ORIGIN}${BASE}/v1/videos/generations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ video_url: "https://example.com/v.mp4", audio_url: "https://example.com/a.wav" }),
      }),
    );
    expect(created.status).toBe(200);
    expect(created.headers.get("x-request-id")).toMatch(/^req_upstream_\d+$/);
  });

  it("never retries upstream, even through the app's own client with retries enabled", async () => {
    const client = createVideoRetalk({ apiKey: API_KEY, baseUrl: api.url, maxRetries: 5 });
    const handler = proxy({ apiKey: undefined, baseUrl: undefined, client });
    api.reply({ status: 503, body: { error: { code: "busy", message: "Later", type: "api_error" } } });
    const read = await handler(get("/v1/tasks/task-1"));
    expect(read.status).toBe(503);
    api.reply({
      status: 429,
      body: { error: { code: "rate_limit_exceeded", message: "Slow", type: "rate_limit_error" } },
    });
    const created = await handler(
      post("/v1/videos/generations", { video_url: "https://e.com/v.mp4", audio_url: "https://e.com/a.wav" }),
    );
    expect(created.status).toBe(429);
    expect(api.received).toHaveLength(2);
  });

  it("reports upstream 401/402/403 to onError (the server's key is the problem) and still answers with them", async () => {
    const reported: unknown[] = [];
    const handler = proxy({ onError: (error) => void reported.push(error) });
    for (const status of [401, 402, 403]) {
      api.reply({ status, body: { error: { code: "x", message: "key problem", type: "authentication_error" } } });
      const response = await handler(get("/v1/tasks/task-1"));
      expect(response.status).toBe(status);
    }
    expect(reported).toHaveLength(3);
    api.reply({
      status: 404,
      body: { error: { code: "task_not_found", message: "no", type: "invalid_request_error" } },
    });
    await handler(get("/v1/tasks/task-1"));
    expect(reported).toHaveLength(3);
  });

  it("passes upstream API errors through with their status and error body", async () => {
    const cases = [
      [
        400,
        { code: "invalid_parameter", message: "video_probe_failed", type: "invalid_request_error", param: "video_url" },
      ],
      [401, { code: "unauthorized", message: "Invalid token", type: "authentication_error" }],
      [402, { code: "insufficient_quota", message: "Top up", type: "insufficient_quota" }],
      [403, { code: "model_access_denied", message: "No access", type: "invalid_request_error" }],
      [404, { code: "task_not_found", message: "Task not found", type: "invalid_request_error", param: "task_id" }],
      [500, { code: "internal_error", message: "Boom", type: "api_error" }],
      [503, { code: "service_unavailable", message: "Later", type: "api_error" }],
    ] as const;
    const handler = proxy();
    for (const [status, error] of cases) {
      api.reply({ status, body: { error } });
      const response = await handler(get("/v1/tasks/task-1"));
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ error });
      expect(response.headers.get("x-request-id")).toBe("req_upstream_1");
    }
  });

  it("normalises numeric codes and top-level error bodies into the API shape", async () => {
    api.reply(
      { status: 429, body: { error: { code: 429, message: "Rate limit exceeded", type: "rate_limit_error" } } },
      { status: 429, body: { message: "flat", type: "", param: "", code: 429 } },
    );
    const handler = proxy();
    expect(await (await handler(get("/v1/tasks/t1"))).json()).toEqual({
      error: { code: 429, message: "Rate limit exceeded", type: "rate_limit_error" },
    });
    expect(await (await handler(get("/v1/tasks/t1"))).json()).toEqual({
      error: { code: 429, message: "flat", type: "invalid_request_error" },
    });
  });

  it("an HTML error page becomes an API-shaped error with the same status", async () => {
    api.reply({ status: 502, body: "<html><body>Bad gateway</body></html>" });
    const response = await proxy()(get("/v1/tasks/task-1"));
    expect(response.status).toBe(502);
    const error = await errorOf(response);
    expect(error.code).toBe("upstream_error");
    expect(JSON.stringify(error)).not.toContain("<html>");
  });

  it("a 2xx body that is not a task is a 502", async () => {
    api.reply({ status: 200, body: { hello: "world" } });
    const response = await proxy()(get("/v1/tasks/task-1"));
    expect(response.status).toBe(502);
    expect((await errorOf(response)).code).toBe("upstream_error");
  });

  it("does not retry upstream (maxRetries: 0): the browser's client does, with the same key", async () => {
    api.reply({ status: 503, body: { error: { code: "service_unavailable", message: "Later", type: "api_error" } } });
    const response = await proxy()(post("/v1/videos/generations", VALID));
    expect(response.status).toBe(503);
    expect(api.received).toHaveLength(1);
  });

  it("connection failures → 502 with an API-shaped body and no address details", async () => {
    const onError = vi.fn();
    const handler = proxy({ baseUrl: "http://127.0.0.1:1", onError });
    for (const request of [get("/v1/tasks/task-1"), post("/v1/videos/generations", VALID)]) {
      const response = await handler(request);
      expect(response.status).toBe(502);
      const text = await response.text();
      expect(text).not.toContain("127.0.0.1");
      expect(JSON.parse(text)).toEqual({
        error: {
          code: "upstream_error",
          message: "The server could not reach the VideoRetalk API.",
          type: "api_error",
        },
      });
    }
    expect(onError).toHaveBeenCalledTimes(2);
  });

  it("a missing API key is a 500 that says nothing about configuration", async () => {
    const previous = process.env.EVOLINK_API_KEY;
    delete process.env.EVOLINK_API_KEY;
    try {
      const onError = vi.fn();
      const response = await proxy({ apiKey: undefined, onError })(get("/v1/tasks/task-1"));
      expect(response.status).toBe(500);
      expect(await response.text()).not.toContain("EVOLINK");
      expect(onError).toHaveBeenCalledOnce();
      expect(api.received).toHaveLength(0);
    } finally {
      if (previous !== undefined) process.env.EVOLINK_API_KEY = previous;
    }
  });

  it("uses a supplied core client", async () => {
    const client = {
      lipSync: { create: vi.fn(async () => taskBody("from-client") as never) },
      tasks: { get: vi.fn(async (id: string) => taskBody(id, "completed") as never) },
    };
    const handler = createProxyHandler({ authorize: () => true, client });
    expect(await (await handler(new Request(`${ORIGIN}/v1/tasks/t-9`))).json()).toMatchObject({ id: "t-9" });
    const created = await handler(
      new Request(`${ORIGIN}/v1/videos/generations`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": "key-0123456789abcdef" },
        body: JSON.stringify(VALID),
      }),
    );
    expect(await created.json()).toMatchObject({ id: "from-client" });
    expect(client.lipSync.create).toHaveBeenCalledWith(
      { ...VALID, model: "videoretalk" },
      expect.objectContaining({ idempotencyKey: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    );
  });
});

describe("callback_url: what is checked is what is sent (issue 8 item 1)", () => {
  const withCallback = (url: string) => ({ ...VALID, callback_url: url });

  it.each([
    "https://hooks.example.com\\@evil.example/",
    "https://hooks.example.com\\@169.254.169.254/latest/meta-data/",
    "https://user:pw@hooks.example.com/cb",
    "https://hooks.example.com/c b",
    "https://hooks.example.com/cb\t",
  ])("refuses %j before anything is forwarded", async (url) => {
    const response = await proxy({ callbackHosts: ["hooks.example.com"] })(
      post("/v1/videos/generations", withCallback(url)),
    );
    expect(response.status).toBe(400);
    expect((await errorOf(response)).param).toBe("callback_url");
    expect(api.received).toHaveLength(0);
  });

  it("forwards the normalised URL, and checks a beforeCreate URL the same way", async () => {
    const handler = proxy({ callbackHosts: ["hooks.example.com"] });
    await handler(post("/v1/videos/generations", withCallback("https://HOOKS.example.com:443/a/../cb")));
    expect(JSON.parse(api.received[0]?.body ?? "").callback_url).toBe("https://hooks.example.com/cb");
    const rewritten = proxy({
      beforeCreate: (params) => ({ ...params, callback_url: "https://Server.Example.com/hook/./x" }),
    });
    expect((await rewritten(post("/v1/videos/generations", VALID))).status).toBe(200);
    expect(JSON.parse(api.received[1]?.body ?? "").callback_url).toBe("https://server.example.com/hook/x");
  });
});

describe("Idempotency-Key namespaces per caller (issue 8 item 9)", () => {
  const KEY = "shared-key-0123456789abcdef";
  const create = (handler: ReturnType<typeof proxy>, headers: Record<string, string>) =>
    handler(post("/v1/videos/generations", VALID, { "idempotency-key": KEY, ...headers }));
  const upstreamKeys = () => api.received.map((r) => String(r.headers["idempotency-key"]));

  it("two subjects sending the same key and body get different upstream keys", async () => {
    const handler = proxy({ authorize: (request) => ({ subject: request.headers.get("x-user") ?? "" }) });
    await create(handler, { "x-user": "alice" });
    await create(handler, { "x-user": "mallory" });
    await create(handler, { "x-user": "alice" });
    const [alice, mallory, aliceAgain] = upstreamKeys();
    expect(alice).toMatch(IDEMPOTENCY_KEY_PATTERN);
    expect(mallory).toMatch(IDEMPOTENCY_KEY_PATTERN);
    expect(mallory).not.toBe(alice);
    // A retry by the same caller keeps its key, so the API still dedupes it.
    expect(aliceAgain).toBe(alice);
    expect(upstreamKeys()).not.toContain(KEY);
  });

  it("replaying another user's key and body does not return their task", async () => {
    // The fake API plays the real one: the same Idempotency-Key returns the same task.
    const tasks = new Map<string, string>();
    const handler = proxy({ authorize: (request) => ({ subject: request.headers.get("x-user") ?? "" }) });
    const createAs = async (user: string) => {
      expect((await create(handler, { "x-user": user })).status).toBe(200);
      const upstreamKey = upstreamKeys().at(-1) ?? "";
      if (!tasks.has(upstreamKey)) tasks.set(upstreamKey, `task-of-${user}`);
      return tasks.get(upstreamKey);
    };
    expect(await createAs("alice")).toBe("task-of-alice");
    expect(await createAs("mallory")).toBe("task-of-mallory");
  });

  it("with plain true, callers with different credentials get different namespaces", async () => {
    const handler = proxy();
    await create(handler, { authorization: "Bearer alice-session" });
    await create(handler, { cookie: "session=mallory" });
    await create(handler, { authorization: "Bearer alice-session" });
    const [alice, mallory, aliceAgain] = upstreamKeys();
    expect(mallory).not.toBe(alice);
    expect(aliceAgain).toBe(alice);
  });

  it("a create without a key still gets a fresh one", async () => {
    const handler = proxy({ authorize: () => ({ subject: "alice" }) });
    await handler(post("/v1/videos/generations", VALID));
    await handler(post("/v1/videos/generations", VALID));
    const [first, second] = upstreamKeys();
    expect(first).toMatch(IDEMPOTENCY_KEY_PATTERN);
    expect(second).not.toBe(first);
  });
});

describe("onError never sees the key a gateway echoes (issue 8 item 5)", () => {
  it.each(["x-request-id", "x-oneapi-request-id"])("in %s", async (header) => {
    const errors: unknown[] = [];
    api.reply({
      status: 401,
      headers: { [header]: `Bearer ${API_KEY}` },
      body: { error: { code: "unauthorized", message: "no", type: "authentication_error" } },
    });
    // A supplied client: the proxy itself does not know the key, only core does.
    const client = createVideoRetalk({ apiKey: API_KEY, baseUrl: api.url, maxRetries: 0 });
    const handler = createProxyHandler({ authorize: () => true, client, onError: (e) => errors.push(e) });
    const response = await handler(new Request(`${ORIGIN}/v1/tasks/t-1`));
    expect(response.status).toBe(401);
    expect(errors).toHaveLength(1);
    const [error] = errors as Error[];
    for (const text of [
      error?.message,
      String(error),
      error?.stack,
      JSON.stringify(error),
      inspect(error),
      inspect(error, { customInspect: false, depth: 6 }),
      await response.text(),
      JSON.stringify([...response.headers]),
    ]) {
      expect(text).not.toContain(API_KEY);
    }
  });
});
