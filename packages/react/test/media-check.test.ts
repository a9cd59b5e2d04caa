import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkMediaFiles, type MediaFileFacts, type PreflightModule } from "../src/index.js";

// preflight's committed fixtures (made by packages/preflight/scripts/make-fixtures.sh).
const fixture = (name: string, type: string) =>
  new File([readFileSync(fileURLToPath(new URL(`../../preflight/fixtures/${name}`, import.meta.url)))], name, {
    type,
  });

describe("checkMediaFiles with the real @videoretalk/preflight (loaded lazily)", () => {
  it("refuses a 1.5 s clip in the page, naming the limit", async () => {
    const check = await checkMediaFiles({ video: fixture("too-short.mp4", "video/mp4") });
    expect(check.ok).toBe(false);
    expect(check.problems).toContainEqual(
      expect.objectContaining({ input: "video", code: "video.duration.min", severity: "refuse" }),
    );
    expect(check.facts.video?.durationS).toBeCloseTo(1.5, 1);
    expect(check.billableSeconds).toBeUndefined();
  });

  it("passes a good pair and tells the billable seconds", async () => {
    const check = await checkMediaFiles({
      video: fixture("ok-h264.mp4", "video/mp4"),
      audio: fixture("speech.wav", "audio/wav"),
    });
    expect(check.problems.filter((p) => p.severity === "refuse")).toEqual([]);
    expect(check.ok).toBe(true);
    expect(check.billableSeconds).toBeCloseTo(3, 1);
    expect(check.facts.video).toMatchObject({ kind: "video", width: 640, height: 640 });
  });

  it("reports a text file named .mp4 as not media, without throwing", async () => {
    const check = await checkMediaFiles({ video: fixture("not-media.mp4", "video/mp4") });
    expect(check.ok).toBe(false);
    expect(check.problems.map((p) => p.code)).toContain("not_media");
  });
});

describe("checkMediaFiles with an injected preflight module", () => {
  const facts = (kind: MediaFileFacts["kind"], durationS: number): MediaFileFacts => ({
    kind,
    container: kind === "video" ? "mp4" : "wav",
    durationS,
    sizeBytes: 1000,
  });
  function fakePreflight(calls: string[]): PreflightModule {
    return {
      inspectMedia: async (source) => {
        const name = (source as File).name;
        calls.push(`inspect ${name}`);
        if (name === "broken.mp4") throw new Error("HTTP 404");
        return name.endsWith(".wav") ? facts("audio", 4) : facts("video", 1);
      },
      evaluateInput: (input, found) => {
        calls.push(`evaluate ${input}`);
        return found.durationS < 2
          ? [{ input, code: `${input}.duration.min`, message: "too short", severity: "refuse" }]
          : [];
      },
      checkLipSyncInputs: async (inputs) => {
        calls.push(`pair ${inputs.video_extension}`);
        return { ok: true, problems: [], billableSeconds: Math.min(inputs.video.durationS, inputs.audio.durationS) };
      },
    };
  }

  it("checks a single file on its own (no billable seconds yet)", async () => {
    const calls: string[] = [];
    const check = await checkMediaFiles(
      { video: new File(["x"], "clip.mp4") },
      { loadPreflight: async () => fakePreflight(calls) },
    );
    expect(calls).toEqual(["inspect clip.mp4", "evaluate video"]);
    expect(check).toMatchObject({ ok: false, billableSeconds: undefined });
  });

  it("hands a complete pair to checkLipSyncInputs with video_extension", async () => {
    const calls: string[] = [];
    const check = await checkMediaFiles(
      { video: new File(["x"], "clip.mp4"), audio: new File(["x"], "speech.wav"), video_extension: true },
      { loadPreflight: async () => fakePreflight(calls) },
    );
    expect(calls.filter((c) => !c.startsWith("inspect"))).toEqual(["pair true"]);
    expect(check.billableSeconds).toBe(1);
  });

  it("turns an unreadable input into a refusal, and force lets it through", async () => {
    const loadPreflight = async () => fakePreflight([]);
    const inputs = { video: new File(["x"], "broken.mp4") };
    const check = await checkMediaFiles(inputs, { loadPreflight });
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual([
      { input: "video", code: "unreadable", message: "video could not be read: HTTP 404", severity: "refuse" },
    ]);
    expect((await checkMediaFiles({ ...inputs, force: true }, { loadPreflight })).ok).toBe(true);
  });
});
