import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { inspectMedia as browserInspect } from "../src/index.js";
import { inspectMedia, MediaReadError, PreflightInputError } from "../src/index.node.js";
import { ffprobeDuration, fixture } from "./support.js";

describe("inspectMedia on files", () => {
  it.each([
    [
      "ok-h264.mp4",
      { kind: "video", container: "mp4", width: 640, height: 640, fps: 25, videoCodec: "h264", audioCodec: "aac" },
    ],
    ["ok-h265.mp4", { kind: "video", container: "mp4", videoCodec: "h265" }],
    ["ok.mov", { kind: "video", container: "mov", width: 1280, height: 720, videoCodec: "h264" }],
    ["ok.avi", { kind: "video", container: "avi", width: 640, height: 640, fps: 25, videoCodec: "h264" }],
    ["moov-at-end.mp4", { kind: "video", container: "mp4", width: 640, fps: 25, videoCodec: "h264" }],
    ["fps-10.mp4", { fps: 10 }],
    ["small-320x240.mp4", { width: 320, height: 240 }],
    ["uhd-3840x2160.mp4", { width: 3840, height: 2160 }],
    ["mpeg4-part2.mp4", { videoCodec: "mpeg4" }],
    ["not-allowed.mkv", { kind: "video", container: "mkv" }],
    ["speech.wav", { kind: "audio", container: "wav", audioCodec: "pcm" }],
    ["speech.mp3", { kind: "audio", container: "mp3", audioCodec: "mp3" }],
    ["speech.aac", { kind: "audio", container: "aac", audioCodec: "aac" }],
    ["not-allowed.ogg", { kind: "audio", container: "ogg" }],
    ["ref.jpg", { kind: "image", container: "jpeg", width: 512, height: 512, durationS: 0 }],
    ["ref.png", { kind: "image", container: "png", width: 512, height: 384 }],
    ["ref.bmp", { kind: "image", container: "bmp", width: 64, height: 48 }],
    ["ref.webp", { kind: "image", container: "webp", width: 512, height: 512 }],
    ["not-media.mp4", { kind: "unknown", container: "unknown", durationS: 0, sizeBytes: 34 }],
  ])("reads %s", async (name, expected) => {
    const facts = await inspectMedia(fixture(name));
    expect(facts).toMatchObject(expected);
    expect(facts.sizeBytes).toBe(readFileSync(fixture(name)).length);
  });

  const timed = [
    "ok-h264.mp4",
    "ok-h265.mp4",
    "ok.mov",
    "ok.avi",
    "moov-at-end.mp4",
    "too-short.mp4",
    "warn-130s.mp4",
    "too-long-310s.mp4",
    "fps-10.mp4",
    "small-320x240.mp4",
    "uhd-3840x2160.mp4",
    "mpeg4-part2.mp4",
    "not-allowed.mkv",
    "speech.wav",
    "speech.mp3",
    "speech.aac",
    "too-short.wav",
    "too-long-310s.mp3",
    "not-allowed.ogg",
  ];
  it.each(timed)("reports the duration of %s within 0.05 s of ffprobe's", async (name) => {
    const expected = ffprobeDuration(fixture(name));
    expect(expected).toBeDefined();
    const facts = await inspectMedia(fixture(name));
    expect(Math.abs(facts.durationS - (expected as number))).toBeLessThanOrEqual(0.05);
  });

  it("reads a Blob the same as the path", async () => {
    const bytes = readFileSync(fixture("ok.mov"));
    const fromBlob = await browserInspect(new Blob([bytes]));
    expect(fromBlob).toEqual(await inspectMedia(fixture("ok.mov")));
  });
});

describe("inspectMedia on bad input", () => {
  it("throws MediaReadError for a missing file", async () => {
    await expect(inspectMedia(fixture("nope.mp4"))).rejects.toThrow(MediaReadError);
    await expect(inspectMedia(fixture("nope.mp4"))).rejects.toThrow(/does not exist/);
  });

  it("throws PreflightInputError for a value that is no source", async () => {
    const error = await inspectMedia(42 as never).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PreflightInputError);
    expect((error as PreflightInputError).field).toBe("source");
  });

  it("refuses file paths in the browser build, naming the way out", async () => {
    await expect(browserInspect(fixture("ok-h264.mp4"))).rejects.toThrow(
      /only works in Node; in a browser pass a File/,
    );
  });

  it("refuses non-http URLs", async () => {
    await expect(inspectMedia(new URL("ftp://example.com/a.mp4"))).rejects.toThrow(PreflightInputError);
  });
});
