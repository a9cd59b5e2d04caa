import { readFileSync } from "node:fs";
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { parseRange } from "../src/serve-media.js";
import { type Body, call, create, emulator, finalTask } from "./helpers.js";

const video = readFileSync(new URL("../fixtures/speaker.mp4", import.meta.url));
const audio = readFileSync(new URL("../fixtures/speech.wav", import.meta.url));

async function uploadStream(url: string, bytes: Buffer, name: string, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set(
    "file",
    new Blob([new Uint8Array(bytes)], { type: name.endsWith(".wav") ? "audio/wav" : "video/mp4" }),
    name,
  );
  for (const [field, value] of Object.entries(fields)) form.set(field, value);
  const response = await fetch(`${url}/api/v1/files/upload/stream`, {
    method: "POST",
    headers: { Authorization: "Bearer test-key" },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as Body };
}

async function download(url: string, headers: Record<string, string> = {}, method = "GET") {
  const response = await fetch(url, { headers, method });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe("Files API", () => {
  it("uploads a multipart stream and serves it on the same origin", async () => {
    const { url } = await emulator();
    const { status, body } = await uploadStream(url, video, "my clip.mp4");
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: true, code: 200, msg: "File uploaded successfully" });
    const data = body.data;
    expect(data).toMatchObject({
      original_name: "my clip.mp4",
      file_size: video.length,
      mime_type: "video/mp4",
      upload_path: "videos",
    });
    expect(data.file_id).toMatch(/^file_/);
    expect(data.file_url).toBe(`${url}/files/videos/${data.file_name}`);
    expect(data.download_url).toBe(`${url}/api/v1/files/download/${data.file_id}`);
    expect(Date.parse(data.expires_at) - Date.parse(data.upload_time)).toBe(72 * 3600 * 1000);
    for (const link of [data.file_url, data.download_url]) {
      const got = await download(link);
      expect(got.status).toBe(200);
      expect(got.bytes.equals(video)).toBe(true);
    }
  });

  it("keeps the chosen path and name (snake_case or camelCase) and replaces same-name uploads", async () => {
    const { url } = await emulator();
    const first = await uploadStream(url, audio, "a.wav", { uploadPath: "tests/run-1", fileName: "voice.wav" });
    expect(first.body.data.file_url).toBe(`${url}/files/tests/run-1/voice.wav`);
    const second = await uploadStream(url, video, "b.mp4", { upload_path: "tests/run-1", file_name: "voice.wav" });
    expect(second.body.data.file_url).toBe(first.body.data.file_url);
    expect((await download(first.body.data.file_url)).bytes.equals(video)).toBe(true);
    const quota = await call(url, "/api/v1/files/quota");
    expect(quota.body.data.used_files).toBe(1);
  });

  it("uploads Base64 (data URL or bare) and URLs without touching the network", async () => {
    const { url } = await emulator();
    const dataUrl = await call(url, "/api/v1/files/upload/base64", {
      body: { base64_data: `data:audio/wav;base64,${audio.toString("base64")}`, file_name: "speech.wav" },
    });
    expect(dataUrl.status).toBe(200);
    expect(dataUrl.body.data).toMatchObject({ mime_type: "audio/wav", upload_path: "audios", file_size: audio.length });
    const bare = await call(url, "/api/v1/files/upload/base64", { body: { base64_data: "aGVsbG8=" } });
    expect(bare.body.data.file_size).toBe(5);
    const copied = await call(url, "/api/v1/files/upload/url", { body: { file_url: `${url}/samples/speaker.mp4` } });
    expect(copied.status).toBe(200);
    expect(copied.body.data).toMatchObject({ file_name: "speaker.mp4", file_size: video.length });
    // A URL the emulator does not host gets a sample placeholder of the same kind.
    const remote = await call(url, "/api/v1/files/upload/url", { body: { file_url: "https://example.com/voice.wav" } });
    expect(remote.body.data).toMatchObject({ file_name: "voice.wav", file_size: audio.length, mime_type: "audio/wav" });
    const missing = await call(url, "/api/v1/files/upload/url", { body: { file_url: `${url}/files/none.mp4` } });
    expect(missing.body).toEqual({ success: false, code: 40004, msg: "URL download failed (HTTP 404)" });
  });

  it("refuses bad uploads with the Files API envelope", async () => {
    const { url } = await emulator();
    const noFile = await fetch(`${url}/api/v1/files/upload/stream`, {
      method: "POST",
      headers: { Authorization: "Bearer k" },
      body: new FormData(),
    });
    expect(noFile.status).toBe(400);
    expect(await noFile.json()).toMatchObject({ success: false, code: 400 });
    const badBase64 = await call(url, "/api/v1/files/upload/base64", { body: { base64_data: "%%%" } });
    expect(badBase64.status).toBe(400);
    const extra = await call(url, "/api/v1/files/upload/base64", { body: { base64_data: "aGk=", other: 1 } });
    expect(extra.status).toBe(400);
    // A declared length over 100 MB is refused before any byte of the body is read.
    const tooBig = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${url}/api/v1/files/upload/stream`, {
        method: "POST",
        headers: {
          Authorization: "Bearer k",
          "Content-Type": "multipart/form-data; boundary=x",
          "Content-Length": 200_000_000,
        },
      });
      req.on("response", (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, body });
          req.destroy();
        });
      });
      req.on("error", reject);
      req.write("--x\r\n");
    });
    expect(tooBig.status).toBe(413);
    expect(JSON.parse(tooBig.body)).toEqual({ success: false, code: 40001, msg: "File too large (max 100 MB)" });
  });

  it("reports the quota", async () => {
    const { url } = await emulator();
    await call(url, "/api/v1/files/upload/base64", { body: { base64_data: "aGk=" } });
    const quota = await call(url, "/api/v1/files/quota");
    expect(quota.status).toBe(200);
    expect(quota.body).toEqual({
      success: true,
      code: 200,
      data: { user_group: "default", used_files: 1, max_files: 2000, remain_files: 1999, is_custom: false },
    });
  });

  it("uses an uploaded video as the task's result", async () => {
    const { url } = await emulator({ speed: 1000 });
    // The sample plus a trailing 8-byte `free` box: a valid MP4 within the media limits whose bytes
    // differ from the sample's, so the result can only be this upload.
    const own = Buffer.concat([video, Buffer.from([0, 0, 0, 8, 0x66, 0x72, 0x65, 0x65])]);
    const upload = await uploadStream(url, own, "my-video.mp4", { file_name: "clip.mp4" });
    const id = await create(url, { video_url: upload.body.data.file_url });
    const done = await finalTask(url, id);
    const result = await download(done.results[0] ?? "");
    expect(result.bytes.equals(own)).toBe(true);
  });
});

describe("Range requests", () => {
  it("parses single byte ranges", () => {
    expect(parseRange("bytes=0-9", 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange("bytes=90-", 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange("bytes=-10", 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange("bytes=50-500", 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange("bytes=100-", 100)).toBe("unsatisfiable");
    expect(parseRange("bytes=9-0", 100)).toBeUndefined();
    expect(parseRange("bytes=0-1,5-6", 100)).toBeUndefined();
    expect(parseRange("items=0-1", 100)).toBeUndefined();
  });

  it("answers 206 with Content-Range, 416 past the end, and HEAD with the length", async () => {
    const { url } = await emulator();
    const link = `${url}/samples/speaker.mp4`;
    const full = await download(link);
    expect(full.status).toBe(200);
    expect(full.headers.get("accept-ranges")).toBe("bytes");
    expect(full.headers.get("content-length")).toBe(String(video.length));
    const part = await download(link, { Range: "bytes=100-199" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 100-199/${video.length}`);
    expect(part.headers.get("content-length")).toBe("100");
    expect(part.bytes.equals(video.subarray(100, 200))).toBe(true);
    const tail = await download(link, { Range: "bytes=-50" });
    expect(tail.bytes.equals(video.subarray(-50))).toBe(true);
    const past = await download(link, { Range: `bytes=${video.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe(`bytes */${video.length}`);
    const head = await download(link, {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(video.length));
    expect(head.bytes.length).toBe(0);
  });

  it("honours If-Range: a matching ETag resumes, a stale one restarts", async () => {
    const { url } = await emulator();
    const link = `${url}/samples/speech.wav`;
    const etag = (await download(link, {}, "HEAD")).headers.get("etag") ?? "";
    expect(etag).not.toBe("");
    const resumed = await download(link, { Range: "bytes=10-", "If-Range": etag });
    expect(resumed.status).toBe(206);
    const restarted = await download(link, { Range: "bytes=10-", "If-Range": '"stale"' });
    expect(restarted.status).toBe(200);
    expect(restarted.bytes.equals(audio)).toBe(true);
  });
});
