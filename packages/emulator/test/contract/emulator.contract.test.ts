import { FakeClock } from "@videoretalk/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error -- plain ESM helper shared with the demo; it has no type declarations.
import { startPrismProxy } from "../../../../tools/prism.mjs";
import { type Emulator, startEmulator } from "../../src/index.js";
import { type Body, expectApiError } from "../helpers.js";

/**
 * The emulator behind `prism proxy --errors spec/videoretalk.openapi.yaml`: Prism checks every
 * answer against the spec and replaces a non-conforming one with a 500 carrying an
 * `sl-violations` header. Only valid requests are sent (Prism answers invalid ones itself).
 */

const API_KEY = "sk-contract-test";
let emulator: Emulator;
const clock = new FakeClock(Date.now());
let prism: { url: string; stop: () => Promise<void> };

beforeAll(async () => {
  // Speed 10 on a fake clock: a task lasts 3–6 s of emulated time and stays pending until the
  // test moves the clock, however slow Prism or the machine is.
  emulator = await startEmulator({ speed: 10, apiKey: API_KEY, clock });
  prism = (await startPrismProxy(emulator.url)) as typeof prism;
});

afterAll(async () => {
  await prism?.stop();
  await emulator?.close();
});

interface Answer {
  status: number;
  headers: Headers;
  body: Body;
}

/** A request through Prism that must come back without any spec violation. */
async function viaPrism(
  path: string,
  init: { method?: string; json?: unknown; form?: FormData; headers?: Record<string, string>; token?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { Authorization: `Bearer ${init.token ?? API_KEY}`, ...init.headers };
  let body: string | FormData | undefined = init.form;
  if (init.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(init.json);
  }
  const response = await fetch(`${prism.url}${path}`, {
    method: init.method ?? (body ? "POST" : "GET"),
    headers,
    body,
  });
  const text = await response.text();
  expect(response.headers.get("sl-violations"), `${path}: ${text.slice(0, 500)}`).toBeNull();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as Body };
}

const minimal = (videoQuery = "") => ({
  model: "videoretalk",
  video_url: `https://example.com/speaker.mp4${videoQuery}`,
  audio_url: "https://example.com/speech.wav",
});

async function pollThroughPrism(id: string): Promise<string[]> {
  const statuses: string[] = [];
  // 200 ms of emulated time per read; a task ends within 6 s (30 reads).
  for (let read = 0; read < 40; read++) {
    const { status, body } = await viaPrism(`/v1/tasks/${id}`);
    expect(status).toBe(200);
    if (statuses.at(-1) !== body.status) statuses.push(body.status);
    if (["completed", "failed", "cancelled"].includes(body.status)) return statuses;
    await clock.advance(200);
  }
  throw new Error(`task ${id} did not finish within 8 s of emulated time`);
}

describe("createVideoRetalkGeneration and getTaskDetail through prism proxy", () => {
  it("creates tasks and reads them in every state without violations", async () => {
    const created = await viaPrism("/v1/videos/generations", { json: minimal() });
    expect(created.status).toBe(200);
    const firstRead = await viaPrism(`/v1/tasks/${created.body.id}`);
    expect(firstRead.status).toBe(200);
    expect(firstRead.body.status).toBe("pending");
    const full = await viaPrism("/v1/videos/generations", {
      json: {
        ...minimal(),
        ref_image_url: "https://example.com/face.jpg",
        video_extension: true,
        query_face_threshold: 150,
        callback_url: "https://example.com/webhooks/video-task-completed",
      },
      headers: { "Idempotency-Key": "run_3f2a9c4e8b7d4f10a1b2c3d4e5f60718" },
    });
    expect(full.status).toBe(200);
    expect(full.headers.get("idempotency-replayed")).toBe("false");
    const failing = await viaPrism("/v1/videos/generations", {
      json: minimal("?scenario=fail:content_policy_violation"),
    });
    const cancelled = await viaPrism("/v1/videos/generations", { json: minimal("?scenario=cancel") });

    const [completedPath, fullPath, failedPath, cancelledPath] = await Promise.all(
      [created, full, failing, cancelled].map((answer) => pollThroughPrism(answer.body.id)),
    );
    expect(completedPath).toContain("processing");
    expect(completedPath?.at(-1)).toBe("completed");
    expect(fullPath?.at(-1)).toBe("completed");
    expect(failedPath?.at(-1)).toBe("failed");
    expect(cancelledPath?.at(-1)).toBe("cancelled");

    const replay = await viaPrism("/v1/videos/generations", {
      json: {
        ...minimal(),
        ref_image_url: "https://example.com/face.jpg",
        video_extension: true,
        query_face_threshold: 150,
        callback_url: "https://example.com/webhooks/video-task-completed",
      },
      headers: { "Idempotency-Key": "run_3f2a9c4e8b7d4f10a1b2c3d4e5f60718" },
    });
    expect(replay.headers.get("idempotency-replayed")).toBe("true");
    expect(replay.body).toEqual(full.body);
  });

  it("answers the documented error statuses in the spec's shapes", async () => {
    for (const status of [402, 403, 429, 500]) {
      const answer = await viaPrism("/v1/videos/generations", { json: minimal(`?scenario=status:${status}`) });
      expect(answer.status).toBe(status);
      expectApiError(answer.body);
    }
    const limited = await viaPrism("/v1/videos/generations", { json: minimal("?scenario=retry-after:2") });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
    const wrongKey = await viaPrism("/v1/videos/generations", { json: minimal(), token: "sk-wrong" });
    expect(wrongKey.status).toBe(401);
    expectApiError(wrongKey.body, "unauthorized");
    // Valid for the schema, refused by the API's own rules.
    const privateHook = await viaPrism("/v1/videos/generations", {
      json: { ...minimal(), callback_url: "https://192.168.1.10/hook" },
    });
    expect(privateHook.status).toBe(400);
    expectApiError(privateHook.body, "invalid_parameter", "callback_url");
    const conflict = await viaPrism("/v1/videos/generations", {
      json: { ...minimal(), video_extension: false },
      headers: { "Idempotency-Key": "run_3f2a9c4e8b7d4f10a1b2c3d4e5f60718" },
    });
    expect(conflict.status).toBe(400);
    expectApiError(conflict.body, "idempotency_conflict");

    const missing = await viaPrism("/v1/tasks/task-unified-1700000000-zzzzzzzz");
    expect(missing.status).toBe(404);
    expectApiError(missing.body, "task_not_found");
    const malformed = await viaPrism("/v1/tasks/abc");
    expect(malformed.status).toBe(400);
    expectApiError(malformed.body, "invalid_task_id", "task_id");
    for (const status of [401, 402, 403, 429, 500]) {
      const answer = await viaPrism("/v1/tasks/abc", { headers: { "X-Emulator-Scenario": `status:${status}` } });
      expect(answer.status).toBe(status);
    }
  });
});

describe("Files API through prism proxy", () => {
  it("uploads by stream, Base64 and URL, and reports the quota, without violations", async () => {
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array([0, 0, 0, 8, 102, 114, 101, 101])], { type: "video/mp4" }), "clip.mp4");
    form.set("upload_path", "contract");
    const stream = await viaPrism("/api/v1/files/upload/stream", { form });
    expect(stream.status).toBe(200);
    expect(stream.body.data.file_url).toBe(`${emulator.url}/files/contract/${stream.body.data.file_name}`);
    const base64 = await viaPrism("/api/v1/files/upload/base64", {
      json: { base64_data: "data:image/png;base64,iVBORw0KGgo=", file_name: "dot.png" },
    });
    expect(base64.body.data).toMatchObject({ mime_type: "image/png", upload_path: "images", file_name: "dot.png" });
    const byUrl = await viaPrism("/api/v1/files/upload/url", {
      json: { file_url: `${emulator.url}/samples/speech.wav` },
    });
    expect(byUrl.body.data.mime_type).toBe("audio/wav");
    const quota = await viaPrism("/api/v1/files/quota");
    expect(quota.body.data).toMatchObject({ used_files: 3, max_files: 2000, remain_files: 1997 });
    const unauthorized = await viaPrism("/api/v1/files/quota", { token: "sk-wrong" });
    expect(unauthorized.status).toBe(401);
    const failed = await viaPrism("/api/v1/files/upload/base64", {
      json: { base64_data: "aGk=" },
      headers: { "X-Emulator-Scenario": "status:500" },
    });
    expect(failed.body).toEqual({ success: false, code: 50001, msg: "Storage error" });
  });
});
