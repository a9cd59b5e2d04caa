import {
  APIError,
  AuthenticationError,
  BadRequestError,
  createVideoRetalk,
  InsufficientCreditsError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  type VideoRetalkClient,
} from "@videoretalk/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createProxyHandler } from "../src/index.js";
import { toNodeHandler } from "../src/node.js";
import { type FakeApi, startFakeApi, taskBody } from "./support/fake-api.js";
import { type Served, serve } from "./support/serve.js";

const API_KEY = "sk-test-SERVERKEY-browser-0123456789";
const BASE = "/api/videoretalk";
const PARAMS = { video_url: "https://cdn.example.com/speaker.mp4", audio_url: "https://cdn.example.com/speech.wav" };

let api: FakeApi;
let app: Served;
let broken: Served;
let browser: VideoRetalkClient;
let allowUser = true;

beforeAll(async () => {
  api = await startFakeApi();
  const options = {
    apiKey: API_KEY,
    basePath: BASE,
    authorize: () => allowUser,
    onError: () => {},
  };
  app = await serve(toNodeHandler(createProxyHandler({ ...options, baseUrl: api.url })));
  broken = await serve(toNodeHandler(createProxyHandler({ ...options, baseUrl: "http://127.0.0.1:1" })));
  // What a web page does: no key, the proxy as base URL.
  browser = createVideoRetalk({
    apiKey: null,
    baseUrl: `${app.url}${BASE}`,
    dangerouslyAllowBrowser: true,
    maxRetries: 0,
  });
});
afterAll(async () => {
  await app.close();
  await broken.close();
  await api.close();
});
beforeEach(() => {
  allowUser = true;
  api.received.length = 0;
});

const apiError = (status: number, code: string, type: string, headers: Record<string, string> = {}) => ({
  status,
  headers: { "x-request-id": `req_${status}`, ...headers },
  body: { error: { code, message: `upstream says ${code}`, type } },
});

async function rejection(promise: Promise<unknown>): Promise<APIError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(APIError);
  return error as APIError;
}

describe("core in the browser (apiKey: null) through the proxy", () => {
  it("creates and reads tasks; the API sees the server's key", async () => {
    const task = await browser.lipSync.create(PARAMS, { idempotencyKey: "browser-key-0123456789" });
    expect(task.id).toBe("task-unified-1756817821-abcd1234");
    const read = await browser.tasks.get(task.id);
    expect(read).toMatchObject({ id: task.id, status: "processing" });
    expect(api.received.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
      ["POST", "/v1/videos/generations", `Bearer ${API_KEY}`],
      ["GET", `/v1/tasks/${task.id}`, `Bearer ${API_KEY}`],
    ]);
    // The browser's key goes upstream scoped to the caller (hashed), never as sent.
    expect(api.received[0]?.headers["idempotency-key"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    [400, "invalid_parameter", "invalid_request_error", BadRequestError],
    [401, "unauthorized", "authentication_error", AuthenticationError],
    [402, "insufficient_quota", "insufficient_quota", InsufficientCreditsError],
    [403, "model_access_denied", "invalid_request_error", PermissionDeniedError],
    [404, "task_not_found", "invalid_request_error", NotFoundError],
    [500, "internal_error", "api_error", InternalServerError],
  ] as const)("upstream %i maps to the same class (%s)", async (status, code, type, ErrorClass) => {
    api.reply(apiError(status, code, type));
    const error = await rejection(browser.tasks.get("task-1"));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ status, code, type, requestId: `req_${status}` });
    expect(error.message).toContain(`upstream says ${code}`);
  });

  it("429 keeps Retry-After, so RateLimitError has retryAfterMs", async () => {
    api.reply(apiError(429, "rate_limit_exceeded", "rate_limit_error", { "retry-after": "7" }));
    const error = await rejection(browser.lipSync.create(PARAMS));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(7000);
    expect(error.code).toBe("rate_limit_exceeded");
  });

  it("proxy refusals map to classes too", async () => {
    allowUser = false;
    const denied = await rejection(browser.tasks.get("task-1"));
    expect(denied).toBeInstanceOf(PermissionDeniedError);
    expect(denied.code).toBe("permission_denied");

    allowUser = true;
    const callback = await rejection(
      browser.lipSync.create({ ...PARAMS, callback_url: "https://attacker.example.net/steal" }),
    );
    expect(callback).toBeInstanceOf(BadRequestError);
    expect(callback.param).toBe("callback_url");
    expect(api.received).toHaveLength(0);
  });

  it("an unreachable API is a 502 InternalServerError", async () => {
    const client = createVideoRetalk({
      apiKey: null,
      baseUrl: `${broken.url}${BASE}`,
      dangerouslyAllowBrowser: true,
      maxRetries: 0,
    });
    const error = await rejection(client.tasks.get("task-1"));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 502, code: "upstream_error" });
  });

  it("the browser client's own retry reuses the idempotency key through the proxy", async () => {
    const retrying = createVideoRetalk({
      apiKey: null,
      baseUrl: `${app.url}${BASE}`,
      dangerouslyAllowBrowser: true,
      maxRetries: 1,
      random: () => 0,
    });
    api.reply(apiError(503, "service_unavailable", "api_error", { "retry-after": "0" }), {
      status: 200,
      body: taskBody("task-after-retry"),
    });
    const task = await retrying.lipSync.create(PARAMS);
    expect(task.id).toBe("task-after-retry");
    const keys = api.received.map((r) => r.headers["idempotency-key"]);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });
});
