import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProxyHandler, ProxyError } from "../src/index.js";
import { toNodeHandler } from "../src/node.js";
import { type FakeApi, startFakeApi, taskBody } from "./support/fake-api.js";
import { type RawResponse, rawRequest, type Served, serve } from "./support/serve.js";

const API_KEY = "sk-live-SECRET-9f8e7d6c5b4a39281706";
const BASE = "/api/videoretalk";
const VALID = JSON.stringify({
  video_url: "https://cdn.example.com/speaker.mp4",
  audio_url: "https://cdn.example.com/speech.wav",
});

let api: FakeApi;
let app: Served;
let brokenApp: Served;

beforeAll(async () => {
  api = await startFakeApi();
  const common = {
    apiKey: API_KEY,
    basePath: BASE,
    maxBodyBytes: 1024,
    onError: () => {},
    authorize: (request: Request) => {
      const who = request.headers.get("x-test-user");
      if (who === "thrower") throw new Error(`authorize failed with ${API_KEY}`);
      if (who === "refused") throw new ProxyError(401, "Sign in.");
      return who !== "stranger";
    },
  };
  app = await serve(toNodeHandler(createProxyHandler({ ...common, baseUrl: api.url })));
  brokenApp = await serve(toNodeHandler(createProxyHandler({ ...common, baseUrl: "http://127.0.0.1:1" })));
});
afterAll(async () => {
  await app.close();
  await brokenApp.close();
  await api.close();
});

// Every way an upstream answer could carry the key back: body text, error messages, headers.
const echoHeaders = {
  "x-echo-authorization": `Bearer ${API_KEY}`,
  "www-authenticate": `Bearer realm="api", error="invalid_token", key="${API_KEY}"`,
  "set-cookie": [`api_key=${API_KEY}`],
  "x-request-id": `req-${API_KEY}`,
};

function json(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  return {
    method,
    path: BASE + path,
    headers: {
      "content-type": "application/json",
      authorization: "Bearer browser-session",
      ...(body !== undefined ? { "content-length": Buffer.byteLength(body) } : {}),
      ...headers,
    },
    chunks: body === undefined ? [] : [body],
  };
}

function assertNoKey(label: string, response: RawResponse) {
  const everything = `${response.rawHeaders.join("\n")}\n${response.body}`;
  expect(everything, label).not.toContain(API_KEY);
  // Not even a fragment long enough to matter.
  expect(everything, label).not.toContain(API_KEY.slice(8, 24));
  expect(everything, label).not.toContain("Bearer");
}

describe("the API key never reaches the browser", () => {
  it("across successes, upstream errors and refusals", async () => {
    const exchanges: [string, () => Promise<RawResponse>, number][] = [
      [
        "create success (upstream echoes the key in the body)",
        async () => {
          api.reply({
            status: 200,
            headers: echoHeaders,
            body: taskBody("t-1", "pending", { debug: `key ${API_KEY}` }),
          });
          return rawRequest(app.port, json("POST", "/v1/videos/generations", VALID));
        },
        200,
      ],
      [
        "get success",
        async () => {
          api.reply({ status: 200, headers: echoHeaders, body: taskBody("t-1", "completed") });
          return rawRequest(app.port, json("GET", "/v1/tasks/t-1"));
        },
        200,
      ],
      [
        "upstream 401 quoting the key",
        async () => {
          api.reply({
            status: 401,
            headers: echoHeaders,
            body: {
              error: {
                code: "unauthorized",
                message: `Invalid API key ${API_KEY} (request id: r1)`,
                type: "authentication_error",
                param: API_KEY,
              },
            },
          });
          return rawRequest(app.port, json("GET", "/v1/tasks/t-1"));
        },
        401,
      ],
      [
        "upstream 429",
        async () => {
          api.reply({
            status: 429,
            headers: { ...echoHeaders, "retry-after": "5" },
            body: { error: { code: "rate_limit_exceeded", message: `Slow down ${API_KEY}`, type: "rate_limit_error" } },
          });
          return rawRequest(app.port, json("POST", "/v1/videos/generations", VALID));
        },
        429,
      ],
      [
        "upstream 500 with the key in a stack trace",
        async () => {
          api.reply({ status: 500, headers: echoHeaders, body: `<pre>Error at auth(${API_KEY})</pre>` });
          return rawRequest(app.port, json("GET", "/v1/tasks/t-1"));
        },
        500,
      ],
      [
        "upstream 500 JSON",
        async () => {
          api.reply({
            status: 500,
            headers: echoHeaders,
            body: { error: { code: "internal_error", message: `token=${API_KEY}`, type: "api_error" } },
          });
          return rawRequest(app.port, json("GET", "/v1/tasks/t-1"));
        },
        500,
      ],
      ["upstream unreachable", () => rawRequest(brokenApp.port, json("GET", "/v1/tasks/t-1")), 502],
      [
        "403 authorize false",
        () => rawRequest(app.port, json("GET", "/v1/tasks/t-1", undefined, { "x-test-user": "stranger" })),
        403,
      ],
      [
        "500 authorize throws",
        () => rawRequest(app.port, json("GET", "/v1/tasks/t-1", undefined, { "x-test-user": "thrower" })),
        500,
      ],
      [
        "401 ProxyError",
        () => rawRequest(app.port, json("GET", "/v1/tasks/t-1", undefined, { "x-test-user": "refused" })),
        401,
      ],
      ["404 path", () => rawRequest(app.port, json("GET", "/v1/files/quota")), 404],
      ["404 traversal", () => rawRequest(app.port, json("GET", "/v1/tasks/../../v1/files")), 404],
      ["405 method", () => rawRequest(app.port, json("DELETE", "/v1/tasks/t-1")), 405],
      ["413 body", () => rawRequest(app.port, json("POST", "/v1/videos/generations", " ".repeat(2000))), 413],
      [
        "415 content type",
        () => rawRequest(app.port, json("POST", "/v1/videos/generations", VALID, { "content-type": "text/plain" })),
        415,
      ],
      ["400 validation", () => rawRequest(app.port, json("POST", "/v1/videos/generations", "{}")), 400],
    ];
    for (const [label, exchange, status] of exchanges) {
      const response = await exchange();
      expect(response.status, label).toBe(status);
      assertNoKey(label, response);
      const names = new Set(response.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase()));
      for (const name of names) {
        expect(
          [
            "content-type",
            "x-request-id",
            "retry-after",
            "allow",
            "content-length",
            "date",
            "connection",
            "keep-alive",
            "transfer-encoding",
          ],
          `${label}: ${name}`,
        ).toContain(name);
      }
    }
    // The key did reach the API on every forwarded call, so the checks above were meaningful.
    expect(api.received.length).toBeGreaterThanOrEqual(6);
    for (const request of api.received) expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("core redacts what it knows, and the proxy drops headers that would carry the key", async () => {
    api.reply({
      status: 401,
      headers: echoHeaders,
      body: { error: { code: "unauthorized", message: `Invalid API key ${API_KEY}`, type: "authentication_error" } },
    });
    const response = await rawRequest(app.port, json("GET", "/v1/tasks/t-1"));
    expect(JSON.parse(response.body)).toEqual({
      error: { code: "unauthorized", message: "Invalid API key [redacted]", type: "authentication_error" },
    });
    expect(response.headers["x-request-id"]).toBeUndefined();
  });
});
