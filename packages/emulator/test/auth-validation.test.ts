import { describe, expect, it } from "vitest";
import { call, emulator, expectApiError, lipSync } from "./helpers.js";

describe("authentication", () => {
  it("accepts any bearer token by default and refuses a missing one", async () => {
    const { url } = await emulator();
    expect((await call(url, "/v1/videos/generations", { body: lipSync(url), token: "anything" })).status).toBe(200);
    const missing = await call(url, "/v1/videos/generations", { body: lipSync(url), token: null });
    expect(missing.status).toBe(401);
    expectApiError(missing.body, "unauthorized");
    expect(missing.body.error.type).toBe("authentication_error");
    const basic = await call(url, "/v1/tasks/task-unified-1-x", {
      token: null,
      headers: { Authorization: "Basic abc" },
    });
    expect(basic.status).toBe(401);
  });

  it("accepts only apiKey when it is set, on every API route", async () => {
    const { url } = await emulator({ apiKey: "sk-right" });
    const ok = await call(url, "/v1/videos/generations", { body: lipSync(url), token: "sk-right" });
    expect(ok.status).toBe(200);
    const wrong = await call(url, "/v1/videos/generations", { body: lipSync(url), token: "sk-wrong" });
    expect(wrong.status).toBe(401);
    expectApiError(wrong.body, "unauthorized");
    const read = await call(url, `/v1/tasks/${ok.body.id}`, { token: "sk-wrong" });
    expect(read.status).toBe(401);
    expectApiError(read.body, "unauthorized");
    const quota = await call(url, "/api/v1/files/quota", { token: "sk-wrong" });
    expect(quota.status).toBe(401);
    expect(quota.body).toEqual({ success: false, code: 401, msg: "Invalid or expired token" });
    // Hosted media is public, like the real file and result hosts.
    expect((await call(url, "/samples/speech.wav", { token: null })).status).toBe(200);
  });

  it("refuses bad options", async () => {
    await expect(emulator({ speed: 0 })).rejects.toThrow(RangeError);
    await expect(emulator({ port: 70_000 })).rejects.toThrow(RangeError);
    await expect(emulator({ forwardCallbacksTo: "http://example.com:8080" })).rejects.toThrow(TypeError);
    await expect(emulator({ forwardCallbacksTo: "not a url" })).rejects.toThrow(TypeError);
  });
});

describe("create validation", () => {
  const base = "http://127.0.0.1:1";
  const cases: [name: string, body: unknown, code: string, param: string | undefined][] = [
    ["missing video_url", { model: "videoretalk", audio_url: `${base}/a.wav` }, "missing_required_params", "video_url"],
    ["missing model", { video_url: `${base}/v.mp4`, audio_url: `${base}/a.wav` }, "missing_required_params", "model"],
    ["unknown field", lipSync(base, { prompt: "hi" }), "invalid_parameter", "prompt"],
    ["other model", lipSync(base, { model: "sora" }), "invalid_parameter", "model"],
    ["non-URL video", lipSync(base, { video_url: "speaker.mp4" }), "invalid_parameter", "video_url"],
    ["ftp audio", lipSync(base, { audio_url: "ftp://example.com/a.wav" }), "invalid_parameter", "audio_url"],
    ["numeric ref image", lipSync(base, { ref_image_url: 5 }), "invalid_parameter", "ref_image_url"],
    ["null ref image", lipSync(base, { ref_image_url: null }), "invalid_parameter", "ref_image_url"],
    ["string extension", lipSync(base, { video_extension: "yes" }), "invalid_parameter", "video_extension"],
    ["threshold too low", lipSync(base, { query_face_threshold: 119 }), "invalid_parameter", "query_face_threshold"],
    ["threshold too high", lipSync(base, { query_face_threshold: 201 }), "invalid_parameter", "query_face_threshold"],
    [
      "fractional threshold",
      lipSync(base, { query_face_threshold: 150.5 }),
      "invalid_parameter",
      "query_face_threshold",
    ],
    ["http callback", lipSync(base, { callback_url: "http://example.com/hook" }), "invalid_parameter", "callback_url"],
    ["private callback", lipSync(base, { callback_url: "https://10.0.0.1/hook" }), "invalid_parameter", "callback_url"],
    [
      "link-local callback",
      lipSync(base, { callback_url: "https://169.254.169.254/" }),
      "invalid_parameter",
      "callback_url",
    ],
    [
      "mapped private callback",
      lipSync(base, { callback_url: "https://[::ffff:192.168.0.1]/" }),
      "invalid_parameter",
      "callback_url",
    ],
    [
      "long callback",
      lipSync(base, { callback_url: `https://example.com/${"a".repeat(2030)}` }),
      "invalid_parameter",
      "callback_url",
    ],
    ["array body", [1], "invalid_request", undefined],
    ["malformed JSON", "{nope", "invalid_request", undefined],
  ];

  it.each(cases)("refuses %s with 400", async (_name, body, code, param) => {
    const { url } = await emulator();
    const answer = await call(url, "/v1/videos/generations", { body });
    expect(answer.status).toBe(400);
    expectApiError(answer.body, code, param);
    expect(answer.body.error.type).toBe("invalid_request_error");
  });

  it("accepts every optional field, https callbacks and loopback callbacks", async () => {
    const { url } = await emulator();
    const full = lipSync(url, {
      ref_image_url: "https://example.com/face.jpg",
      video_extension: true,
      query_face_threshold: 120,
      callback_url: `https://example.com/${"a".repeat(2048 - 20)}`,
    });
    expect(String(full.callback_url).length).toBe(2048);
    expect((await call(url, "/v1/videos/generations", { body: full })).status).toBe(200);
    for (const callback_url of [
      "http://127.0.0.1:9/hook",
      "https://localhost/hook",
      "http://[::1]:9/x",
      "http://127.1/x",
    ]) {
      const answer = await call(url, "/v1/videos/generations", { body: lipSync(url, { callback_url }) });
      expect(answer.status, callback_url).toBe(200);
    }
  });

  it("refuses a malformed Idempotency-Key", async () => {
    const { url } = await emulator();
    for (const key of ["short", "a".repeat(97), "has spaces in it ok"]) {
      const answer = await call(url, "/v1/videos/generations", {
        body: lipSync(url),
        headers: { "Idempotency-Key": key },
      });
      expect(answer.status).toBe(400);
      expectApiError(answer.body, "invalid_idempotency_key", "Idempotency-Key");
    }
  });
});
