import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type Body, call, create, emulator, expectApiError, finalTask, lipSync, pollUntilDone } from "./helpers.js";

const sampleVideo = readFileSync(new URL("../fixtures/speaker.mp4", import.meta.url));

describe("task lifecycle", () => {
  it("creates a pending task in the spec's VideoRetalkResponse shape", async () => {
    const { url } = await emulator({ speed: 1 });
    const before = Math.floor(Date.now() / 1000);
    const { status, headers, body } = await call(url, "/v1/videos/generations", { body: lipSync(url) });
    expect(status).toBe(200);
    expect(headers.get("x-request-id")).toMatch(/^\d{23}[A-Za-z0-9]{8}$/);
    expect(body.id).toMatch(/^task-unified-\d{10}-[a-z0-9]{8}$/);
    expect(body.id.split("-")[2]).toBe(String(body.created));
    expect(body.created).toBeGreaterThanOrEqual(before);
    expect(body).toEqual({
      created: body.created,
      id: body.id,
      model: "videoretalk",
      object: "video.generation.task",
      progress: 0,
      status: "pending",
      task_info: { can_cancel: false, estimated_time: expect.any(Number), video_duration: 0 },
      type: "video",
      usage: { billing_rule: "per_second", credits_reserved: 80, user_group: "default" },
    });
    // At speed 1 a task takes 30–60 s.
    expect(body.task_info.estimated_time).toBeGreaterThanOrEqual(30);
    expect(body.task_info.estimated_time).toBeLessThanOrEqual(60);
  });

  it("walks pending → processing → completed, progress rising, estimated_time falling", async () => {
    const { url } = await emulator({ speed: 100 });
    const started = Date.now();
    const id = await create(url);
    const seen = await pollUntilDone(url, id);
    const elapsed = Date.now() - started;
    // speed 100: 30–60 s become 0.3–0.6 s.
    expect(elapsed).toBeGreaterThanOrEqual(280);
    // Generous: a loaded CI machine delays the polling loop, not the emulator's clock.
    expect(elapsed).toBeLessThan(5000);
    const statuses = [...new Set(seen.map((task) => task.status))];
    // Pending is the first 10 % of the task (30–60 ms here), which a loaded machine can miss;
    // the pending state itself is checked at speed 1 below.
    expect(statuses.filter((status) => status !== "pending")).toEqual(["processing", "completed"]);
    if (statuses.includes("pending")) expect(statuses[0]).toBe("pending");
    const progress = seen.map((task) => task.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    for (const task of seen.filter((t) => t.status === "processing")) {
      expect(task.progress).toBeGreaterThanOrEqual(10);
      expect(task.progress).toBeLessThanOrEqual(95);
      expect(task.task_info.video_duration).toBe(2);
      // Real seconds left, rounded up: under a second at this speed.
      expect(task.task_info.estimated_time).toBe(1);
    }
    const done = seen.at(-1) as Body;
    expect(done).toMatchObject({
      status: "completed",
      progress: 100,
      results: [`${url}/results/${id}.mp4`],
      task_info: { can_cancel: false, video_duration: 2 },
    });
    expect(done.task_info.estimated_time).toBeUndefined();
    expect(done.error).toBeUndefined();
  });

  it("reports the real seconds left on GET", async () => {
    const { url } = await emulator({ speed: 1 });
    const created = await call(url, "/v1/videos/generations", { body: lipSync(url) });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const later = await call(url, `/v1/tasks/${created.body.id}`);
    expect(later.body.status).toBe("pending");
    const before = created.body.task_info.estimated_time ?? 0;
    expect(later.body.task_info.estimated_time).toBeLessThan(before);
    expect(later.body.task_info.estimated_time).toBeGreaterThanOrEqual(before - 2);
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
