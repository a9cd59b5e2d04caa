import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type Emulator, startEmulator } from "@videoretalk/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli } from "../support/built-cli.js";
import { SPEAKER_MP4, SPEECH_WAV } from "../support/fixtures.js";
import { type RecordingServer, startRecordingServer } from "../support/recording-server.js";

// `videoretalk check` and the pre-check of `videoretalk lipsync`, run as the built binary. The
// media comes from @videoretalk/preflight's fixtures (one file per limit, made with ffmpeg).
const preflightRoot = dirname(createRequire(import.meta.url).resolve("@videoretalk/preflight/package.json"));
const media = (name: string) => join(preflightRoot, "fixtures", name);

let emulator: Emulator;
let recorder: RecordingServer;

beforeAll(async () => {
  emulator = await startEmulator({ speed: 100 });
  recorder = await startRecordingServer();
});
afterAll(async () => {
  await recorder.close();
  await emulator.close();
});

describe.concurrent("videoretalk check", () => {
  it("prints the facts of good inputs, no problems and the billable seconds, and exits 0", async () => {
    const result = await runCli(["check", "--video", SPEAKER_MP4, "--audio", media("speech.mp3")], {
      env: cliEnv(recorder.url),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^video {5}.*speaker\.mp4: mp4, 4\.\d\d s, 640×640, 25 fps, h264 \+ aac, 91\.1 kB$/m);
    expect(result.stdout).toMatch(/^audio {5}.*speech\.mp3: mp3, 3\.10 s, mp3, 12\.6 kB$/m);
    expect(result.stdout).toContain("problems  none");
    expect(result.stdout).toContain("billable  3.10 s");
  });

  it("lists every problem and exits 1 when something is refused", async () => {
    const result = await runCli(
      [
        "check",
        "--video",
        media("small-320x240.mp4"),
        "--audio",
        media("too-long-310s.mp3"),
        "--ref-image",
        media("wide-3x1.png"),
      ],
      { env: cliEnv(recorder.url) },
    );
    expect(result.code).toBe(1);
    const problems = result.stdout.split("\n").filter((line) => /^ {2}(refuse|warn) /.test(line));
    expect(problems).toEqual([
      "  refuse video width is 320 px; the API accepts at least 640 px.",
      "  refuse video height is 240 px; the API accepts at least 640 px.",
      "  warn   audio length is 310.18 s; the recommended limit is at most 120 s.",
      "  refuse audio length is 310.18 s; the API accepts at most 300 s.",
      "  refuse ref_image aspect ratio is 3:1; the API accepts at most 2:1.",
    ]);
  });

  it("exits 0 with only warnings", async () => {
    const result = await runCli(["check", "--video", media("warn-130s.mp4"), "--audio", SPEECH_WAV], {
      env: cliEnv(recorder.url),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("warn   video length is 130 s; the recommended limit is at most 120 s.");
  });

  it("reports a text file named .mp4 as not media, without crashing", async () => {
    const result = await runCli(["check", "--video", media("not-media.mp4"), "--audio", SPEECH_WAV], {
      env: cliEnv(recorder.url),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/not-media\.mp4: not media, 34 B/);
    expect(result.stdout).toContain("refuse video is not a media file MediaInfo can read.");
    expect(result.stdout).toContain("billable  unknown");
  });

  it("prints one JSON document with --json, billing the audio's length with --extend", async () => {
    const result = await runCli(
      ["check", "--video", media("too-short.mp4"), "--audio", media("speech.wav"), "--extend", "--json"],
      { env: cliEnv(recorder.url) },
    );
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({ ok: false, refused: true, billableSeconds: 3, limitsVersion: 1 });
    expect(doc.problems).toEqual([
      expect.objectContaining({ input: "video", code: "video.duration.min", actual: 1.52, severity: "refuse" }),
    ]);
    expect(doc.facts.video).toMatchObject({ container: "mp4", width: 640, fps: 25 });
  });

  it("reads URLs with Range requests (the emulator's samples)", async () => {
    const result = await runCli(
      ["check", "--video", `${emulator.url}/samples/speaker.mp4`, "--audio", `${emulator.url}/samples/speech.wav`],
      { env: cliEnv(recorder.url) },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("billable  4.00 s");
  });

  it.each([
    [["check", "--video", SPEAKER_MP4], /required option '--audio/],
    [["check", "--video", "missing.mp4", "--audio", SPEECH_WAV], /--video: no such file: missing\.mp4/],
  ])("exits 2 for usage errors: %j", async (args, message) => {
    const result = await runCli(args, { env: cliEnv(recorder.url) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe.concurrent("videoretalk lipsync pre-check", () => {
  it("stops on a refusal with exit 1 before uploading anything", async () => {
    // Its own recorder: the other tests here run concurrently and send requests to theirs.
    const own = await startRecordingServer();
    try {
      const result = await runCli(["lipsync", "--video", media("fps-10.mp4"), "--audio", SPEECH_WAV], {
        env: cliEnv(own.url),
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("refuse video frame rate is 10 fps; the API accepts at least 15 fps.");
      expect(result.stderr).toContain("refused: nothing was uploaded.");
      expect(own.requests).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it("with --json prints the refusal as one JSON document", async () => {
    const result = await runCli(["lipsync", "--video", media("too-short.mp4"), "--audio", SPEECH_WAV, "--json"], {
      env: cliEnv(recorder.url),
    });
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({ error: { name: "PreflightRefused" }, exitCode: 1, check: { refused: true } });
  });

  it("--no-check skips the pre-check and uploads", async () => {
    const result = await runCli(
      ["lipsync", "--video", media("fps-10.mp4"), "--audio", SPEECH_WAV, "--no-check", "--no-wait"],
      { env: cliEnv(recorder.url) },
    );
    // The recording server answers 418 to everything: the upload was attempted.
    expect(result.code).toBe(3);
    expect(result.stderr).not.toContain("pre-check");
    expect(recorder.requests.some((request) => request.path.includes("/files/upload"))).toBe(true);
  });

  it("--force sends refused inputs, and the emulator fails the task the way the API does", async () => {
    const stats = emulator.stats().createsAccepted;
    const result = await runCli(["lipsync", "--video", media("too-short.mp4"), "--audio", SPEECH_WAV, "--force"], {
      env: cliEnv(emulator.url),
    });
    expect(result.stderr).toContain("--force: sending inputs the API is likely to refuse.");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/invalid_parameters/);
    expect(emulator.stats().createsAccepted).toBe(stats + 1);
  });
});
