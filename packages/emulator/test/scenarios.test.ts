import { describe, expect, it } from "vitest";
import { TASK_FAILURE_MESSAGES } from "../src/index.js";
import { parseScenarios } from "../src/scenarios.js";
import {
  call,
  clockOf,
  create,
  emulator,
  expectApiError,
  finalTask,
  lipSync,
  pollUntilDone,
  settled,
} from "./helpers.js";

const DOCUMENTED_CODES = [
  "content_policy_violation",
  "invalid_parameters",
  "image_processing_error",
  "image_dimension_mismatch",
  "request_cancelled",
  "generation_failed_no_content",
  "service_error",
  "generation_timeout",
  "resource_exhausted",
  "quota_exceeded",
  "service_unavailable",
  "resource_not_found",
  "unknown_error",
];

const scenario = (value: string) => ({ "X-Emulator-Scenario": value });

describe("scenario parsing", () => {
  it("reads combined scenarios and repeat counts", () => {
    const parsed = parseScenarios("slow:200, fail:service_error,status:503*2,retry-after:3,cancel,drop-after:100");
    expect(parsed).toEqual({
      ok: true,
      scenarios: [
        { kind: "slow", ms: 200, times: undefined, raw: "slow:200" },
        { kind: "fail", code: "service_error", raw: "fail:service_error" },
        { kind: "status", status: 503, times: 2, raw: "status:503*2" },
        { kind: "retry-after", seconds: 3, times: undefined, raw: "retry-after:3" },
        { kind: "cancel", raw: "cancel" },
        { kind: "drop-after", bytes: 100, times: 1, raw: "drop-after:100" },
      ],
    });
    expect(parseScenarios("fail:500")).toMatchObject({ ok: true, scenarios: [{ kind: "fail", code: 500 }] });
    expect(parseScenarios(undefined)).toEqual({ ok: true, scenarios: [] });
  });

  it("refuses unknown or malformed scenarios", () => {
    for (const text of ["explode", "status:200", "status:abc", "slow", "cancel:now", "fail:a b", "fail:x*2"]) {
      expect(parseScenarios(text).ok, text).toBe(false);
    }
  });
});

describe("task scenarios", () => {
  it("fails with every documented business code and its message", async () => {
    const { url } = await emulator({ speed: 1000 });
    const ids = await Promise.all(DOCUMENTED_CODES.map((code) => create(url, {}, scenario(`fail:${code}`))));
    expect(Object.keys(TASK_FAILURE_MESSAGES).sort()).toEqual([...DOCUMENTED_CODES].sort());
    for (const [index, id] of ids.entries()) {
      const failed = await finalTask(url, id);
      const code = DOCUMENTED_CODES[index] ?? "";
      expect(failed).toMatchObject({ status: "failed", progress: 0, task_info: { can_cancel: false } });
      expect(failed.error).toEqual({ code, message: TASK_FAILURE_MESSAGES[code], type: "task_error" });
      expect(failed.results).toBeUndefined();
    }
  });

  it("takes fail and cancel from video_url's scenario parameter, and numeric codes", async () => {
    const { url } = await emulator({ speed: 1000 });
    const failing = await create(url, { video_url: `${url}/samples/speaker.mp4?scenario=fail:generation_timeout` });
    const numeric = await create(url, { video_url: "https://example.com/a.mp4?scenario=fail:500" });
    const cancelled = await create(url, { video_url: "https://example.com/a.mp4?scenario=cancel" });
    expect((await finalTask(url, failing)).error.code).toBe("generation_timeout");
    expect((await finalTask(url, numeric)).error.code).toBe(500);
    const done = await finalTask(url, cancelled);
    expect(done).toMatchObject({
      status: "cancelled",
      progress: 0,
      error: { code: "request_cancelled", message: TASK_FAILURE_MESSAGES.request_cancelled, type: "task_error" },
    });
  });

  it("answers a refused scenario with a 400 naming where it came from", async () => {
    const { url } = await emulator();
    const header = await call(url, "/v1/videos/generations", { body: lipSync(url), headers: scenario("boom") });
    expect(header.status).toBe(400);
    expectApiError(header.body, "invalid_parameter", "X-Emulator-Scenario");
    const query = await call(url, "/v1/videos/generations", {
      body: lipSync(url, { video_url: "https://example.com/a.mp4?scenario=status:42" }),
    });
    expect(query.status).toBe(400);
    expectApiError(query.body, "invalid_parameter", "video_url");
  });
});

describe("HTTP scenarios", () => {
  const createExamples: Record<number, [string, string]> = {
    401: ["unauthorized", "authentication_error"],
    402: ["insufficient_quota", "insufficient_quota"],
    403: ["model_access_denied", "invalid_request_error"],
    429: ["rate_limit_exceeded", "rate_limit_error"],
    500: ["internal_error", "api_error"],
    502: ["upstream_error", "api_error"],
    503: ["service_unavailable", "api_error"],
  };
  const taskExamples: Record<number, [string, string]> = {
    401: ["unauthorized", "authentication_error"],
    402: ["quota_exceeded", "insufficient_quota"],
    403: ["permission_denied", "invalid_request_error"],
    429: ["rate_limit_exceeded", "evo_api_error"],
    500: ["internal_error", "api_error"],
    502: ["upstream_error", "api_error"],
    503: ["service_unavailable", "api_error"],
  };

  it("answers status:<code> on create with the spec's example bodies", async () => {
    const { url } = await emulator();
    for (const [status, [code, type]] of Object.entries(createExamples)) {
      const answer = await call(url, "/v1/videos/generations", {
        body: lipSync(url),
        headers: scenario(`status:${status}`),
      });
      expect(answer.status).toBe(Number(status));
      expectApiError(answer.body, code);
      expect(answer.body.error.type).toBe(type);
    }
    const viaQuery = await call(url, "/v1/videos/generations", {
      body: lipSync(url, { video_url: "https://example.com/a.mp4?scenario=status:402" }),
    });
    expect(viaQuery.status).toBe(402);
  });

  it("answers status:<code> on task reads and uploads in their own shapes", async () => {
    const { url } = await emulator();
    const id = await create(url);
    for (const [status, [code, type]] of Object.entries(taskExamples)) {
      const answer = await call(url, `/v1/tasks/${id}`, { headers: scenario(`status:${status}`) });
      expect(answer.status).toBe(Number(status));
      expectApiError(answer.body, code);
      expect(answer.body.error.type).toBe(type);
    }
    const upload = await call(url, "/api/v1/files/upload/base64", {
      body: { base64_data: "aGVsbG8=" },
      headers: scenario("status:500"),
    });
    expect(upload.status).toBe(500);
    expect(upload.body).toEqual({ success: false, code: 50001, msg: "Storage error" });
  });

  it("answers retry-after:<s> with 429 and Retry-After", async () => {
    const { url } = await emulator();
    const answer = await call(url, "/v1/videos/generations", {
      body: lipSync(url),
      headers: scenario("retry-after:3"),
    });
    expect(answer.status).toBe(429);
    expect(answer.headers.get("retry-after")).toBe("3");
    expectApiError(answer.body, "rate_limit_exceeded");
  });

  it("limits a scenario to the first N identical requests with *N", async () => {
    const { url } = await emulator();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = await call(url, "/v1/videos/generations", {
        body: lipSync(url),
        headers: scenario("status:503*2"),
      });
      statuses.push(answer.status);
    }
    expect(statuses).toEqual([503, 503, 200]);
    // A different body is a different request: it gets its own two failures.
    const other = await call(url, "/v1/videos/generations", {
      body: lipSync(url, { query_face_threshold: 150 }),
      headers: scenario("status:503*2"),
    });
    expect(other.status).toBe(503);
    // In video_url, the count survives retries that resend the same body.
    const body = lipSync(url, { video_url: "https://example.com/a.mp4?scenario=retry-after:1*1" });
    expect((await call(url, "/v1/videos/generations", { body })).status).toBe(429);
    expect((await call(url, "/v1/videos/generations", { body })).status).toBe(200);
  });

  it("delays responses with slow:<ms>", async () => {
    const { url } = await emulator();
    const clock = clockOf(url);
    const id = await create(url);
    const slowRead = settled(call(url, `/v1/tasks/${id}`, { headers: scenario("slow:300") }));
    // The answer waits on a 300 ms timer of the emulator's clock, and only on that.
    expect(await clock.nextTimer()).toBe(300);
    await clock.advance(299);
    expect(slowRead.done).toBe(false);
    expect(clock.nextTimerInMs()).toBe(1);
    await clock.advance(1);
    expect((await slowRead.promise).status).toBe(200);

    const slowCreate = settled(
      call(url, "/v1/videos/generations", {
        body: lipSync(url, { video_url: "https://example.com/a.mp4?scenario=slow:250,status:500" }),
      }),
    );
    expect(await clock.nextTimer()).toBe(250);
    await clock.advance(249);
    expect(slowCreate.done).toBe(false);
    await clock.advance(1);
    expect((await slowCreate.promise).status).toBe(500);
    expect(clock.scheduled).toEqual([300, 250]);
  });

  it("makes the result URL answer result-status:<code> (an expired link)", async () => {
    const { url } = await emulator({ speed: 1000 });
    const id = await create(url, { video_url: "https://example.com/a.mp4?scenario=result-status:410" });
    const done = await finalTask(url, id);
    expect(done.status).toBe("completed");
    const result = await call(url, `/results/${id}.mp4`, { token: null });
    expect(result.status).toBe(410);
    expectApiError(result.body, "link_expired");
  });

  it("cuts the first result download after drop-after:<bytes>, then serves the rest", async () => {
    const { url } = await emulator({ speed: 1000 });
    const id = await create(url, {}, scenario("drop-after:1000"));
    await pollUntilDone(url, id);
    const first = await fetch(`${url}/results/${id}.mp4`);
    expect(first.status).toBe(200);
    const total = Number(first.headers.get("content-length"));
    await expect(first.arrayBuffer()).rejects.toThrow();
    const resumed = await fetch(`${url}/results/${id}.mp4`, { headers: { Range: "bytes=1000-" } });
    expect(resumed.status).toBe(206);
    expect(resumed.headers.get("content-range")).toBe(`bytes 1000-${total - 1}/${total}`);
    expect((await resumed.arrayBuffer()).byteLength).toBe(total - 1000);
  });
});
