import { readdir, readFile } from "node:fs/promises";
import { type Emulator, startEmulator } from "@videoretalk/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli } from "../support/built-cli.js";
import { SPEAKER_MP4 } from "../support/fixtures.js";
import { type RecordingServer, startProxy } from "../support/recording-server.js";
import { TASK_ID, tempDirs } from "../support/temp-dir.js";

// Every failure the emulator can stage, through the built binary. The scenario rides on
// `--video`'s `scenario` query parameter, the documented way for tools that cannot add headers.
// A recording proxy in front of the emulator counts the create calls.
let emulator: Emulator;
let proxy: RecordingServer;
const dirs = tempDirs();
let unique = 0;

beforeAll(async () => {
  emulator = await startEmulator({ speed: 200 });
  proxy = await startProxy(emulator.url);
});
afterAll(async () => {
  await proxy.close();
  await emulator.close();
  await dirs.removeAll();
});

/** `--video` for a scenario; a unique marker keeps `*N` counts and request filters per test. */
function videoWith(scenario: string): { video: string; marker: string } {
  const marker = `t${process.pid}-${++unique}`;
  return { video: `${proxy.url}/samples/speaker.mp4?scenario=${scenario}&m=${marker}`, marker };
}

function createsWith(marker: string) {
  return proxy.requests.filter(
    (request) =>
      request.method === "POST" && request.path === "/v1/videos/generations" && request.body.includes(marker),
  );
}

async function lipsync(scenario: string, extra: string[] = []) {
  const { video, marker } = videoWith(scenario);
  const cwd = await dirs.make();
  const result = await runCli(
    ["lipsync", "--video", video, "--audio", `${proxy.url}/samples/speech.wav`, "--out", "out.mp4", ...extra],
    { env: cliEnv(proxy.url), cwd },
  );
  return { ...result, marker, cwd, video };
}

describe.concurrent("failed and cancelled tasks exit 1", () => {
  it.each(["content_policy_violation", "service_error", "generation_timeout", "quota_exceeded"])(
    "fail:%s names the code and the task, writes no file",
    async (code) => {
      const result = await lipsync(`fail:${code}`);
      expect(result.code, result.stderr).toBe(1);
      const id = result.stderr.match(TASK_ID)?.[0];
      expect(result.stderr).toContain(`error: Task ${id} failed (${code}): `);
      expect(result.stderr).toContain(`task id: ${id}`);
      // Waiting again cannot help a failed task.
      expect(result.stderr).not.toContain("task wait");
      expect(result.stdout).toBe("");
      expect(await readdir(result.cwd)).toEqual([]);
    },
  );

  it("fail with a numeric code (older gateways)", async () => {
    const result = await lipsync("fail:1234");
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/failed \(1234\)/);
  });

  it("fail with --json: one JSON document with the code, the task id and exit code 1", async () => {
    const result = await lipsync("fail:content_policy_violation", ["--json"]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toBe("");
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({
      error: {
        name: "TaskFailedError",
        code: "content_policy_violation",
        message: expect.stringContaining("content_policy_violation"),
        task: { status: "failed", error: { code: "content_policy_violation" } },
      },
      exitCode: 1,
      taskId: expect.stringMatching(TASK_ID),
    });
    expect(document).not.toHaveProperty("resume");
  });

  it("cancel", async () => {
    const result = await lipsync("cancel");
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/error: Task task-unified-\S+ was cancelled/);
    expect(result.stderr).toMatch(/task id: task-unified-/);
    expect(await readdir(result.cwd)).toEqual([]);
  });
});

describe.concurrent("API refusals exit 3", () => {
  it("status:401 says authentication failed and points at EVOLINK_API_KEY", async () => {
    const result = await lipsync("status:401");
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/^error: 401 unauthorized: /m);
    expect(result.stderr).toMatch(/authentication failed: check that EVOLINK_API_KEY/);
    expect(result.stderr).not.toContain("task id");
    expect(createsWith(result.marker)).toHaveLength(1);
  });

  it("a wrong key against an emulator that checks it is the same 401", async () => {
    const strict = await startEmulator({ speed: 200, apiKey: "the-right-key" });
    try {
      const result = await runCli(["lipsync", "--video", SPEAKER_MP4, "--audio", `${strict.url}/samples/speech.wav`], {
        env: cliEnv(strict.url, { EVOLINK_API_KEY: "the-wrong-key" }),
        cwd: await dirs.make(),
      });
      expect(result.code, result.stderr).toBe(3);
      // Refused at the upload, before any task was created.
      expect(result.stderr).toMatch(/^error: Upload failed: 401\b/m);
      expect(result.stderr).toMatch(/authentication failed/);
    } finally {
      await strict.close();
    }
  });

  it("status:402 says the account is out of credits", async () => {
    const result = await lipsync("status:402");
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/^error: 402 insufficient_quota: /m);
    expect(result.stderr).toMatch(/hint: the account has no credits left/);
  });

  it("status:403", async () => {
    const result = await lipsync("status:403");
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/^error: 403 model_access_denied: /m);
  });

  it("status:401 with --json", async () => {
    const result = await lipsync("status:401", ["--json"]);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toMatchObject({
      error: { name: "AuthenticationError", status: 401, code: "unauthorized", idempotencyKey: expect.any(String) },
      exitCode: 3,
      hint: expect.stringMatching(/authentication failed/),
    });
  });

  it("status:500 on create is not retried (it may have created the task); rerunning with the printed key is safe", async () => {
    // `*1`: only the first matching create fails, so a retry would have succeeded and exited 0.
    const result = await lipsync("status:500*1");
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/^error: 500 internal_error: /m);
    expect(createsWith(result.marker)).toHaveLength(1);

    const key = result.stderr.match(/run the same command with --idempotency-key (\S+)/)?.[1];
    expect(key).toBeDefined();
    expect(createsWith(result.marker)[0]?.headers["idempotency-key"]).toBe(key);
    const rerun = await runCli(
      [
        "lipsync",
        "--video",
        result.video,
        "--audio",
        `${proxy.url}/samples/speech.wav`,
        "--idempotency-key",
        key ?? "",
        "--no-wait",
      ],
      { env: cliEnv(proxy.url), cwd: result.cwd },
    );
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(TASK_ID);
    expect(createsWith(result.marker).map((request) => request.headers["idempotency-key"])).toEqual([key, key]);
  });

  it("status:503 once is retried with the same key and then succeeds", async () => {
    const result = await lipsync("status:503*1");
    expect(result.code, result.stderr).toBe(0);
    const creates = createsWith(result.marker);
    expect(creates).toHaveLength(2);
    expect(creates[1]?.headers["idempotency-key"]).toBe(creates[0]?.headers["idempotency-key"]);
    expect(await readFile(`${result.cwd}/out.mp4`)).toEqual(await readFile(SPEAKER_MP4));
  });

  it("retry-after:1 once: the 429 is retried after the server's Retry-After, then succeeds", async () => {
    const result = await lipsync("retry-after:1*1");
    expect(result.code, result.stderr).toBe(0);
    // Waiting out Retry-After itself is core's fake-clock test (retry.test.ts); here: one retry, same key.
    const creates = createsWith(result.marker);
    expect(creates).toHaveLength(2);
    expect(creates[1]?.headers["idempotency-key"]).toBe(creates[0]?.headers["idempotency-key"]);
  });

  it("retry-after:1 every time: three attempts (two retries), then exit 3 with the 429", async () => {
    const result = await lipsync("retry-after:1");
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/^error: 429 rate_limit_exceeded: /m);
    expect(createsWith(result.marker)).toHaveLength(3);
  });

  it("an unknown scenario is the emulator's 400, exit 3", async () => {
    const result = await lipsync("nonsense");
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/^error: 400 invalid_parameter: Unknown emulator scenario/m);
  });

  it("an API that cannot be reached exits 3 (after the client's retries; nothing was sent, so no key hint)", async () => {
    // Port 0 is never listening: the connection is refused without assuming some port is free.
    const result = await runCli(
      ["lipsync", "--video", "https://example.com/v.mp4", "--audio", "https://example.com/a.wav"],
      { env: cliEnv("http://127.0.0.1:0"), cwd: await dirs.make() },
    );
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/^error: POST \/v1\/videos\/generations failed: ECONNREFUSED/m);
    expect(result.stderr).not.toContain("--idempotency-key");
  });
});

describe.concurrent("slow answers, results and downloads", () => {
  it("an expired result link (result-status:410) exits 3 and says so, with the task id", async () => {
    const result = await lipsync("result-status:410");
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/error: The result link answered HTTP 410: it has most likely expired/);
    expect(result.stderr).toMatch(/resume with: videoretalk task wait task-unified-/);
    expect(await readdir(result.cwd)).toEqual([]);
  });

  it("a dropped download (drop-after:4096) is resumed and the file is complete", async () => {
    const result = await lipsync("drop-after:4096");
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(`${result.cwd}/out.mp4`)).toEqual(await readFile(SPEAKER_MP4));
    const id = result.stdout.match(TASK_ID)?.[0];
    const downloads = proxy.requests.filter((request) => request.path === `/results/${id}.mp4`);
    expect(downloads.map((request) => request.headers.range)).toEqual([undefined, "bytes=4096-"]);
  });
});
