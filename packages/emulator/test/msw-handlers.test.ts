import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createEmulatorHandlers } from "../src/msw.js";

const BASE = "https://api.test";
const KEY = "sk-msw-handlers-test";
let now = 1_700_000_000_000;
// speed 1, random 0: a task takes exactly 30 s of the manual clock (pending until 3 s).
const emulator = createEmulatorHandlers({ baseUrl: BASE, apiKey: KEY, now: () => now, random: () => 0 });
const server = setupServer(...emulator.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => emulator.reset());
afterAll(() => server.close());

const BODY = { model: "videoretalk", video_url: "https://cdn.test/v.mp4", audio_url: "https://cdn.test/a.wav" };

async function call(path: string, init: { body?: unknown; headers?: Record<string, string>; key?: string } = {}) {
  const headers: Record<string, string> = { Authorization: `Bearer ${init.key ?? KEY}`, ...init.headers };
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${BASE}${path}`, {
    method: init.body === undefined ? "GET" : "POST",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

describe("createEmulatorHandlers", () => {
  it("walks a task through pending, processing and completed on the injected clock", async () => {
    const created = await call("/v1/videos/generations", { body: BODY });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ status: "pending", progress: 0, object: "video.generation.task" });
    const id = created.body.id as string;

    now += 15_000;
    expect((await call(`/v1/tasks/${id}`)).body).toMatchObject({ status: "processing", progress: 50 });
    now += 15_000;
    const done = await call(`/v1/tasks/${id}`);
    expect(done.body).toMatchObject({ status: "completed", progress: 100, results: [`${BASE}/results/${id}.mp4`] });
    const result = await fetch(done.body.results[0]);
    expect(result.headers.get("content-type")).toBe("video/mp4");
    expect(new Uint8Array(await result.arrayBuffer()).byteLength).toBe(24);
  });

  it("answers a wrong key with 401 and an unknown task with 404", async () => {
    expect((await call("/v1/videos/generations", { body: BODY, key: "sk-wrong" })).status).toBe(401);
    expect((await call("/v1/tasks/task-unified-1-missing0")).status).toBe(404);
  });

  it("validates the body like the API, naming the parameter", async () => {
    const bad = await call("/v1/videos/generations", { body: { ...BODY, query_face_threshold: 999 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ type: "invalid_request_error", param: "query_face_threshold" });
    expect(emulator.tasks()).toHaveLength(0);
  });

  it("replays an Idempotency-Key and refuses it with another body", async () => {
    const headers = { "Idempotency-Key": "msw-key-0123456789abcdef" };
    const first = await call("/v1/videos/generations", { body: BODY, headers });
    const again = await call("/v1/videos/generations", { body: BODY, headers });
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get("idempotency-replayed")).toBe("true");
    const other = await call("/v1/videos/generations", {
      body: { ...BODY, audio_url: "https://cdn.test/b.wav" },
      headers,
    });
    expect(other.body.error.code).toBe("idempotency_conflict");
    expect(emulator.tasks()).toHaveLength(1);
  });

  it("applies scenarios: status:503*1 once, fail:<code> on the task, result-status on the result", async () => {
    const headers = { "X-Emulator-Scenario": "status:503*1" };
    expect((await call("/v1/videos/generations", { body: BODY, headers })).status).toBe(503);
    expect((await call("/v1/videos/generations", { body: BODY, headers })).status).toBe(200);

    const failing = await call("/v1/videos/generations", {
      body: { ...BODY, video_url: "https://cdn.test/v.mp4?scenario=fail:service_error" },
    });
    const expired = await call("/v1/videos/generations", {
      body: { ...BODY, video_url: "https://cdn.test/v.mp4?scenario=result-status:410" },
    });
    now += 30_000;
    expect((await call(`/v1/tasks/${failing.body.id}`)).body).toMatchObject({
      status: "failed",
      error: { code: "service_error", type: "task_error" },
    });
    expect((await fetch(`${BASE}/results/${expired.body.id}.mp4`)).status).toBe(410);
  });

  it("refuses drop-after, which needs a real connection", async () => {
    const response = await call("/v1/videos/generations", {
      body: { ...BODY, video_url: "https://cdn.test/v.mp4?scenario=drop-after:100" },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/startEmulator/);
  });

  it("forgets everything on reset()", async () => {
    const created = await call("/v1/videos/generations", { body: BODY });
    emulator.reset();
    expect(emulator.tasks()).toHaveLength(0);
    expect((await call(`/v1/tasks/${created.body.id}`)).status).toBe(404);
  });

  it("rejects a speed that is not a positive number", () => {
    expect(() => createEmulatorHandlers({ speed: 0 })).toThrow(RangeError);
  });
});
