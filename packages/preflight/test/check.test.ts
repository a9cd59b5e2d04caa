import { describe, expect, it } from "vitest";
import {
  billableSeconds,
  checkLipSyncInputs,
  MEDIA_LIMITS,
  MEDIA_LIMITS_VERSION,
  type MediaFacts,
  PreflightInputError,
} from "../src/index.node.js";
import { fixture } from "./support.js";

const GOOD = { video: fixture("ok-h264.mp4"), audio: fixture("speech.wav") };

async function codes(inputs: Parameters<typeof checkLipSyncInputs>[0]) {
  const check = await checkLipSyncInputs(inputs);
  return check.problems.map((problem) => `${problem.code}:${problem.severity}`);
}

describe("checkLipSyncInputs against the limits table", () => {
  it("passes good inputs in every allowed format and bills the shorter length", async () => {
    for (const video of ["ok-h264.mp4", "ok-h265.mp4", "ok.mov", "ok.avi", "moov-at-end.mp4"]) {
      for (const audio of ["speech.wav", "speech.mp3", "speech.aac"]) {
        const check = await checkLipSyncInputs({
          video: fixture(video),
          audio: fixture(audio),
          ref_image: fixture("ref.png"),
        });
        expect(check.problems, `${video} + ${audio}`).toEqual([]);
        expect(check.ok).toBe(true);
      }
    }
    const check = await checkLipSyncInputs({ video: fixture("ok.avi"), audio: fixture("speech.mp3") });
    expect(check.billableSeconds).toBeCloseTo(3.096, 3);
  });

  it.each([
    ["too-short.mp4", "video.duration.min:refuse"],
    ["warn-130s.mp4", "video.duration.recommended:warn"],
    ["fps-10.mp4", "video.fps:refuse"],
    ["mpeg4-part2.mp4", "video.codec:refuse"],
    ["not-allowed.mkv", "video.format:refuse"],
    ["not-media.mp4", "not_media:refuse"],
    ["speech.wav", "wrong_kind:refuse"],
  ])("flags %s with %s", async (video, expected) => {
    const found = await codes({ ...GOOD, video: fixture(video) });
    expect(found).toEqual([expected]);
  });

  it("flags a 310 s video with both the warning and the refusal", async () => {
    expect(await codes({ ...GOOD, video: fixture("too-long-310s.mp4") })).toEqual([
      "video.duration.recommended:warn",
      "video.duration.max:refuse",
    ]);
  });

  it("flags sides outside 640-2048 px", async () => {
    expect(await codes({ ...GOOD, video: fixture("small-320x240.mp4") })).toEqual([
      "video.width:refuse",
      "video.height:refuse",
    ]);
    expect(await codes({ ...GOOD, video: fixture("uhd-3840x2160.mp4") })).toEqual([
      "video.width:refuse",
      "video.height:refuse",
    ]);
  });

  it.each([
    ["too-short.wav", ["audio.duration.min:refuse"]],
    ["too-long-310s.mp3", ["audio.duration.recommended:warn", "audio.duration.max:refuse"]],
    ["not-allowed.ogg", ["audio.format:refuse"]],
  ])("flags audio %s", async (audio, expected) => {
    expect(await codes({ ...GOOD, audio: fixture(audio) })).toEqual(expected);
  });

  it.each([
    ["wide-3x1.png", ["ref_image.aspect:refuse"]],
    ["huge-5000x2500.png", ["ref_image.longest_side:refuse"]],
    ["not-allowed.gif", ["ref_image.format:refuse"]],
    ["ref.jpg", []],
    ["ref.bmp", []],
    ["ref.webp", []],
  ])("checks reference image %s", async (image, expected) => {
    expect(await codes({ ...GOOD, ref_image: fixture(image) })).toEqual(expected);
  });

  it("checks sizes from facts (300 MB video, 30 MB audio, 10 MB image)", async () => {
    const video: MediaFacts = {
      kind: "video",
      container: "mp4",
      durationS: 10,
      width: 1280,
      height: 720,
      fps: 25,
      videoCodec: "h264",
      sizeBytes: 301 * 1048576,
    };
    const audio: MediaFacts = { kind: "audio", container: "mp3", durationS: 10, sizeBytes: 31 * 1048576 };
    const image: MediaFacts = {
      kind: "image",
      container: "png",
      durationS: 0,
      width: 800,
      height: 800,
      sizeBytes: 11 * 1048576,
    };
    const check = await checkLipSyncInputs({ video, audio, ref_image: image });
    expect(check.problems.map((problem) => problem.code)).toEqual(["video.size", "audio.size", "ref_image.size"]);
    expect(check.problems[0]).toMatchObject({ actual: 301 * 1048576, limit: { max: 314572800 } });
    expect(check.problems[0]?.message).toBe("video size is 301.0 MB; the API accepts at most 300.0 MB.");
  });

  it("says ok with force, still listing the refusals", async () => {
    const check = await checkLipSyncInputs({ ...GOOD, video: fixture("too-short.mp4"), force: true });
    expect(check).toMatchObject({ ok: true, refused: true });
    expect(check.problems).toHaveLength(1);
  });

  it("bills the audio's length with video_extension, else the shorter one", async () => {
    const short = await checkLipSyncInputs({ video: fixture("too-short.mp4"), audio: fixture("speech.wav") });
    expect(short.billableSeconds).toBeCloseTo(1.52, 2);
    const extended = await checkLipSyncInputs({
      video: fixture("too-short.mp4"),
      audio: fixture("speech.wav"),
      video_extension: true,
    });
    expect(extended.billableSeconds).toBe(3);
    expect(billableSeconds(10, 4, false)).toBe(4);
    expect(billableSeconds(undefined, 4, false)).toBeUndefined();
  });

  it("throws PreflightInputError naming a missing input", async () => {
    const error = await checkLipSyncInputs({ video: fixture("ok-h264.mp4") } as never).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PreflightInputError);
    expect((error as PreflightInputError).field).toBe("audio");
  });

  it("ships a versioned table where every row names its source and severity", () => {
    expect(MEDIA_LIMITS_VERSION).toBeGreaterThanOrEqual(1);
    for (const limit of MEDIA_LIMITS) {
      expect(["refuse", "warn"]).toContain(limit.severity);
      expect(["alibaba", "evolink"]).toContain(limit.source);
    }
  });
});
