import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import { runCli } from "../../src/program.js";
import { fakeIO } from "../support/fake-io.js";
import { SPEAKER_MP4, SPEECH_WAV } from "../support/fixtures.js";
import { type RecordingServer, startRecordingServer } from "../support/recording-server.js";

// Every command below points at a server that records requests: "nothing is sent" is checked,
// not assumed. Local fixture files are used so that an upload, too, would show up.
let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

function env(overrides: Record<string, string | undefined> = {}) {
  return {
    EVOLINK_API_KEY: "test-key",
    EVOLINK_BASE_URL: server.url,
    EVOLINK_FILES_BASE_URL: server.url,
    ...overrides,
  };
}

async function run(argv: string[], envOverrides: Record<string, string | undefined> = {}) {
  const { io, stdout, stderr } = fakeIO({ env: env(envOverrides) });
  const code = await runCli(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const media = ["--video", SPEAKER_MP4, "--audio", SPEECH_WAV];

describe("runCli: usage errors exit 2 and send nothing", () => {
  it.each<[string, string[], RegExp]>([
    ["no command", [], /Usage: videoretalk/],
    ["an unknown command", ["frobnicate"], /unknown command 'frobnicate'/],
    ["an unknown flag", ["lipsync", ...media, "--bogus"], /unknown option '--bogus'/],
    ["a missing --video", ["lipsync", "--audio", SPEECH_WAV], /required option '--video <url\|path>' not specified/],
    ["a missing --audio", ["lipsync", "--video", SPEAKER_MP4], /required option '--audio <url\|path>' not specified/],
    ["a flag without its value", ["lipsync", ...media, "--threshold"], /option '--threshold <n>' argument missing/],
    ["task without a subcommand", ["task"], /Usage: videoretalk task/],
    ["task get without an id", ["task", "get"], /missing required argument 'id'/],
  ])("%s", async (_name, argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(server.requests).toEqual([]);
  });

  it.each<[string, string[], RegExp]>([
    ["--threshold 300", ["--threshold", "300"], /^error: --threshold must be an integer from 120 to 200 .*got 300/],
    ["--threshold 119", ["--threshold", "119"], /^error: --threshold must be an integer from 120 to 200/],
    ["--threshold abc", ["--threshold", "abc"], /^error: --threshold must be an integer from 120 to 200 .*got "abc"/],
    ["--callback-url http://x", ["--callback-url", "http://x"], /^error: --callback-url must use https/],
    [
      "--callback-url on a private address",
      ["--callback-url", "https://192.168.1.5/hook"],
      /^error: --callback-url points at/,
    ],
    [
      "--callback-url not a URL",
      ["--callback-url", "hook"],
      /^error: --callback-url must be an absolute http\(s\) URL/,
    ],
    ["--timeout 0", ["--timeout", "0"], /^error: --timeout must be a positive number of seconds/],
    ["--timeout abc", ["--timeout", "abc"], /^error: --timeout must be a positive number of seconds/],
    [
      "--idempotency-key too short",
      ["--idempotency-key", "short"],
      /^error: --idempotency-key must be 16–96 characters/,
    ],
    [
      "--out in a missing folder",
      ["--out", "/nonexistent-folder/result.mp4"],
      /^error: --out: the folder \/nonexistent-folder does not exist/,
    ],
    ["--out naming a folder", ["--out", "/tmp"], /^error: --out must be a file path, but \/tmp is a folder/],
    [
      "--base-url not http(s)",
      ["--base-url", "ftp://example.com"],
      /^error: --base-url must be an absolute http\(s\) URL/,
    ],
    [
      "--files-base-url not a URL",
      ["--files-base-url", "files"],
      /^error: --files-base-url must be an absolute http\(s\) URL/,
    ],
  ])("%s names the flag", async (_name, extra, message) => {
    const result = await run(["lipsync", ...media, ...extra]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe("");
    expect(server.requests).toEqual([]);
  });

  it("a missing local file names --video (or --audio, --ref-image)", async () => {
    const video = await run(["lipsync", "--video", "no-such-file.mp4", "--audio", SPEECH_WAV]);
    expect(video.code).toBe(2);
    expect(video.stderr).toMatch(/^error: --video: no such file: no-such-file\.mp4/);

    const audio = await run(["lipsync", "--video", SPEAKER_MP4, "--audio", "missing.wav"]);
    expect(audio.code).toBe(2);
    expect(audio.stderr).toMatch(/^error: --audio: no such file: missing\.wav/);

    const face = await run(["lipsync", ...media, "--ref-image", "face.png"]);
    expect(face.code).toBe(2);
    expect(face.stderr).toMatch(/^error: --ref-image: no such file: face\.png/);
    expect(server.requests).toEqual([]);
  });

  it("a media URL with another scheme is read as a (missing) local file", async () => {
    const result = await run(["lipsync", "--video", "ftp://example.com/a.mp4", "--audio", SPEECH_WAV]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: --video: no such file: ftp:\/\/example\.com\/a\.mp4 \(give an http\(s\) URL or a local file\)/,
    );
  });

  it.each<[string, string | undefined]>([
    ["unset", undefined],
    ["empty", ""],
    ["blank", "   "],
  ])("EVOLINK_API_KEY %s is named, for every command", async (_name, key) => {
    for (const argv of [
      ["lipsync", ...media],
      ["task", "get", "task-unified-1-abcdefgh"],
      ["task", "wait", "task-unified-1-abcdefgh"],
    ]) {
      const result = await run(argv, { EVOLINK_API_KEY: key });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^error: EVOLINK_API_KEY is not set/);
    }
    expect(server.requests).toEqual([]);
  });

  it("an EVOLINK_API_KEY with spaces is refused", async () => {
    const result = await run(["lipsync", ...media], { EVOLINK_API_KEY: "two words" });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: EVOLINK_API_KEY must be a single token/);
    expect(server.requests).toEqual([]);
  });

  it("reads the key from the CLI's environment only, never from process.env behind its back", async () => {
    const previous = process.env.EVOLINK_API_KEY;
    process.env.EVOLINK_API_KEY = "from-process-env";
    try {
      const result = await run(["lipsync", ...media], { EVOLINK_API_KEY: undefined });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/EVOLINK_API_KEY is not set/);
    } finally {
      if (previous === undefined) delete process.env.EVOLINK_API_KEY;
      else process.env.EVOLINK_API_KEY = previous;
    }
    expect(server.requests).toEqual([]);
  });

  it("task wait validates --timeout and --out before reading the task", async () => {
    const timeout = await run(["task", "wait", "task-unified-1-abcdefgh", "--timeout", "-3"]);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toMatch(/^error: --timeout must be a positive number/);
    const out = await run(["task", "wait", "task-unified-1-abcdefgh", "--out", "/nonexistent-folder/x.mp4"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^error: --out: the folder/);
    expect(server.requests).toEqual([]);
  });

  it("with --json, a usage error is one JSON document on stdout", async () => {
    const result = await run(["lipsync", ...media, "--threshold", "300", "--json"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toMatchObject({
      error: {
        name: "ValidationError",
        field: "query_face_threshold",
        message: expect.stringMatching(/^--threshold /),
      },
      exitCode: 2,
    });
    expect(server.requests).toEqual([]);
  });

  it("with --json, a flag commander refuses is one JSON document on stdout too", async () => {
    const result = await run(["lipsync", ...media, "--bogus", "--json"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({
      error: { name: "UsageError", code: "commander.unknownOption", message: "unknown option '--bogus'" },
      exitCode: 2,
    });
    const missing = await run(["lipsync", "--audio", SPEECH_WAV, "--json"]);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout).error.message).toBe("required option '--video <url|path>' not specified");
    expect(server.requests).toEqual([]);
  });
});

describe("runCli: API errors", () => {
  it("an unexpected answer from the API exits 3 (proves the fake server is reachable)", async () => {
    const result = await run(["task", "get", "task-unified-1-abcdefgh"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error: 418/);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: "GET", path: "/v1/tasks/task-unified-1-abcdefgh" });
    expect(server.requests[0]?.headers.authorization).toBe("Bearer test-key");
  });

  it("--base-url wins over EVOLINK_BASE_URL", async () => {
    const result = await run(["task", "get", "task-unified-1-abcdefgh", "--base-url", server.url], {
      EVOLINK_BASE_URL: "http://127.0.0.1:9",
    });
    expect(result.code).toBe(3);
    expect(server.requests).toHaveLength(1);
  });
});

describe("runCli: help and version exit 0", () => {
  it("--version prints the package version", async () => {
    for (const flag of ["--version", "-V"]) {
      const result = await run([flag]);
      expect(result).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: "" });
    }
  });

  it("--help lists the commands", async () => {
    const result = await run(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage: videoretalk/);
    expect(result.stdout).toMatch(/lipsync \[options\]/);
    expect(result.stdout).toMatch(/task/);
  });

  it("lipsync --help lists every flag", async () => {
    const result = await run(["lipsync", "--help"]);
    expect(result.code).toBe(0);
    for (const flag of [
      "--video",
      "--audio",
      "--ref-image",
      "--extend",
      "--threshold",
      "--callback-url",
      "--out",
      "--no-wait",
      "--timeout",
      "--idempotency-key",
      "--base-url",
      "--files-base-url",
      "--json",
    ]) {
      expect(result.stdout).toContain(flag);
    }
  });

  it("task get/wait --help", async () => {
    expect((await run(["task", "get", "--help"])).code).toBe(0);
    const wait = await run(["task", "wait", "--help"]);
    expect(wait.code).toBe(0);
    expect(wait.stdout).toContain("--no-download");
    expect(server.requests).toEqual([]);
  });
});
