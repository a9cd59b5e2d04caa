import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { probeMedia } from "../src/media-probe.js";
import { type Body, call, create, emulator, finalTask } from "./helpers.js";

const speaker = readFileSync(new URL("../fixtures/speaker.mp4", import.meta.url));
const speech = readFileSync(new URL("../fixtures/speech.wav", import.meta.url));

/** The payload offset of the first box of `type` (after its 8-byte header). */
function boxPayload(bytes: Buffer, type: string, from = 0): { start: number; end: number } {
  const at = bytes.indexOf(type, from, "latin1");
  if (at < 4) throw new Error(`no ${type} box`);
  return { start: at + 4, end: at - 4 + bytes.readUInt32BE(at - 4) };
}

/** speaker.mp4 with its movie duration set to `seconds`. */
function withDuration(seconds: number): Buffer {
  const bytes = Buffer.from(speaker);
  const mvhd = boxPayload(bytes, "mvhd");
  const timescale = bytes.readUInt32BE(mvhd.start + 12);
  bytes.writeUInt32BE(Math.round(timescale * seconds), mvhd.start + 16);
  return bytes;
}

/** speaker.mp4 with its video track's tkhd width set to `width`. */
function withWidth(width: number): Buffer {
  const bytes = Buffer.from(speaker);
  let tkhd = boxPayload(bytes, "tkhd");
  while (bytes.readUInt32BE(tkhd.end - 8) === 0) tkhd = boxPayload(bytes, "tkhd", tkhd.end);
  bytes.writeUInt32BE(width * 65536, tkhd.end - 8);
  return bytes;
}

/** The first `seconds` of speech.wav with its chunk sizes fixed. */
function wavOf(seconds: number): Buffer {
  const data = 16000 * 2 * seconds;
  const bytes = Buffer.from(speech.subarray(0, 44 + data));
  bytes.writeUInt32LE(bytes.length - 8, 4);
  bytes.writeUInt32LE(data, 40);
  return bytes;
}

async function upload(url: string, bytes: Buffer, name: string): Promise<string> {
  const form = new FormData();
  form.set(
    "file",
    new Blob([new Uint8Array(bytes)], { type: name.endsWith(".wav") ? "audio/wav" : "video/mp4" }),
    name,
  );
  const response = await fetch(`${url}/api/v1/files/upload/stream`, {
    method: "POST",
    headers: { Authorization: "Bearer test-key" },
    body: form,
  });
  const body = (await response.json()) as Body;
  return body.data.file_url as string;
}

describe("media limits (spec/media-limits.json)", () => {
  it("probes the shipped samples inside every refuse limit", () => {
    const video = probeMedia(speaker);
    expect(video).toMatchObject({ container: "mp4", width: 640, height: 640, videoCodec: "h264" });
    expect(video?.durationS).toBeCloseTo(4, 1);
    expect(video?.fps).toBeCloseTo(25, 0);
    expect(probeMedia(speech)).toMatchObject({ container: "wav", durationS: 4 });
    expect(probeMedia(Buffer.from("not media"))).toBeUndefined();
  });

  it.each([
    ["a 1 s video", () => withDuration(1), "video_url", /video\.duration\.min: 1 is below the minimum of 2/],
    ["a 301 s video", () => withDuration(301), "video_url", /video\.duration\.max: 301 is above the maximum of 300/],
    ["a 320 px wide video", () => withWidth(320), "video_url", /video\.width: 320 is below the minimum of 640/],
    ["a 1 s WAV", () => wavOf(1), "audio_url", /audio\.duration\.min: 1 is below the minimum of 2/],
  ])("fails a task whose input is %s with invalid_parameters", async (_title, make, field, message) => {
    const { url } = await emulator();
    const hosted = await upload(url, make(), field === "audio_url" ? "short.wav" : "clip.mp4");
    const id = await create(url, { [field]: hosted });
    const task = await finalTask(url, id);
    expect(task.status).toBe("failed");
    expect(task.error).toMatchObject({ code: "invalid_parameters" });
    expect(task.error?.message).toMatch(message);
    expect(task.error?.message).toContain(field);
  });

  it("completes a task whose hosted inputs are within the limits", async () => {
    const { url } = await emulator();
    const hosted = await upload(url, withDuration(3), "three-seconds.mp4");
    const task = await finalTask(url, await create(url, { video_url: hosted }));
    expect(task.status).toBe("completed");
    const read = await call(url, `/v1/tasks/${task.id}`);
    expect(read.body.error).toBeUndefined();
  });
});
