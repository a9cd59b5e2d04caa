import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mp4DurationS } from "../src/media.js";
import {
  type Body,
  call,
  clockOf,
  create,
  emulator,
  expectApiError,
  finalTask,
  lipSync,
  pollUntilDone,
} from "./helpers.js";

const sampleVideo = readFileSync(new URL("../fixtures/speaker.mp4", import.meta.url));
/** The sample's length in whole seconds, as `task_info.video_duration` reports it. */
const SAMPLE_DURATION_S = Math.round(mp4DurationS(sampleVideo) ?? Number.NaN);

describe("task lifecycle", () => {
  it("creates a pending task in the spec's VideoRetalkResponse shape", async () => {
    const { url } = await emulator({ speed: 1 });
    // `created` is the emulator's clock in Unix seconds.
    const now = Math.floor(clockOf(url).now() / 1000);
    const { status, headers, body } = await call(url, "/v1/videos/generations", { body: lipSync(url) });
    expect(status).toBe(200);
    expect(headers.get("x-request-id")).toMatch(/^\d{23}[A-Za-z0-9]{8}$/);
    expect(body.id).toMatch(/^task-unified-\d{10}-[a-z0-9]{8}$/);
    expect(body.id.split("-")[2]).toBe(String(body.created));
    expect(body.created).toBe(now);
    expect(body).toEqual({
      created: body.created,
      id: body.id,
      model: "videoretalk",
      object: "video.generation.task",
      progress: 0,
      status: "pending",
      task_info: { can_cancel: false, estimated_time: expect.any(Number), video_duration: 0 },
      type: "video",
      usage: { billing_rule: "per_second", credits_reserved: 160, user_group: "default" },
    });
    // At speed 1 a task takes 30–60 s.
    expect(body.task_info.estimated_time).toBeGreaterThanOrEqual(30);
    expect(body.task_info.estimated_time).toBeLessThanOrEqual(60);
  });

  it("walks pending → processing → completed, progress rising, estimated_time falling", async () => {
    const { url } = await emulator({ speed: 100 });
    const clock = clockOf(url);
    const id = await create(url);
    const startedAt = clock.now();
    // Reads every 5 ms of emulated time: the emulator's clock, not the machine's speed, decides.
    const seen = await pollUntilDone(url, id, 5);
    const elapsed = clock.now() - startedAt;
    // speed 100: 30–60 s become 0.3–0.6 s.
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThanOrEqual(605);
    // Pending is the first 10 % (30–60 ms here), so reads every 5 ms see every state.
    expect([...new Set(seen.map((task) => task.status))]).toEqual(["pending", "processing", "completed"]);
    const progress = seen.map((task) => task.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    for (const task of seen.filter((t) => t.status === "processing")) {
      expect(task.progress).toBeGreaterThanOrEqual(10);
      expect(task.progress).toBeLessThanOrEqual(95);
      expect(task.task_info.video_duration).toBe(SAMPLE_DURATION_S);
      // Real seconds left, rounded up: under a second at this speed.
      expect(task.task_info.estimated_time).toBe(1);
    }
    const done = seen.at(-1) as Body;
    expect(done).toMatchObject({
      status: "completed",
      progress: 100,
      results: [`${url}/results/${id}.mp4`],
      task_info: { can_cancel: false, video_duration: SAMPLE_DURATION_S },
    });
    expect(done.task_info.estimated_time).toBeUndefined();
    expect(done.error).toBeUndefined();
  });

  it("reports the real seconds left on GET", async () => {
    const { url } = await emulator({ speed: 1 });
    const clock = clockOf(url);
    const created = await call(url, "/v1/videos/generations", { body: lipSync(url) });
    const before = created.body.task_info.estimated_time ?? 0;
    await clock.advance(1000);
    const later = await call(url, `/v1/tasks/${created.body.id}`);
    expect(later.body.status).toBe("pending");
    // One second of the emulator's clock later: exactly one second less.
    expect(later.body.task_info.estimated_time).toBe(before - 1);
    await clock.advance(10_000);
    const processing = await call(url, `/v1/tasks/${created.body.id}`);
    expect(processing.body.status).toBe("processing");
    expect(processing.body.task_info.estimated_time).toBe(before - 11);
  });

  it("serves the hosted input video as the result, and the sample for other URLs", async () => {
    const { url } = await emulator({ speed: 1000 });
    const hosted = await create(url);
    const elsewhere = await create(url, { video_url: "https://example.com/speaker.mp4" });
    await pollUntilDone(url, hosted);
    await pollUntilDone(url, elsewhere);
    for (const id of [hosted, elsewhere]) {
      const response = await fetch(`${url}/results/${id}.mp4`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("video/mp4");
      expect(Buffer.from(await response.arrayBuffer()).equals(sampleVideo)).toBe(true);
    }
  });

  it("fails the task when a hosted input does not exist", async () => {
    const { url } = await emulator({ speed: 1000 });
    const id = await create(url, { audio_url: `${url}/files/audios/missing.wav` });
    const done = await finalTask(url, id);
    expect(done).toMatchObject({
      status: "failed",
      progress: 0,
      error: { code: "invalid_parameters", type: "task_error" },
    });
    expect(done.error.message).toContain("audio_url");
  });

  it("answers 404 for unknown tasks and 400 for malformed ids, with the spec's bodies", async () => {
    const { url } = await emulator();
    const missing = await call(url, "/v1/tasks/task-unified-1700000000-zzzzzzzz");
    expect(missing.status).toBe(404);
    expectApiError(missing.body, "task_not_found");
    const malformed = await call(url, "/v1/tasks/not-a-task");
    expect(malformed.status).toBe(400);
    expectApiError(malformed.body, "invalid_task_id", "task_id");
    expect(malformed.body.error.type).toBe("invalid_request_error");
  });

  it("does not serve a result before the task completes", async () => {
    const { url } = await emulator({ speed: 1 });
    const id = await create(url);
    const response = await fetch(`${url}/results/${id}.mp4`);
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });

  it("answers 404 for unknown routes and 405 for wrong methods", async () => {
    const { url } = await emulator();
    const unknown = await call(url, "/v2/nothing");
    expect(unknown.status).toBe(404);
    expectApiError(unknown.body, "not_found");
    const wrong = await call(url, "/v1/videos/generations");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
  });

  it("closes idempotently and frees its port", async () => {
    const started = await emulator();
    await started.close();
    await started.close();
    await expect(fetch(`${started.url}/`)).rejects.toThrow();
  });
});
