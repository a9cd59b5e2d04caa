import { copyFile, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Emulator, startEmulator } from "@videoretalk/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatBytes } from "../../src/format.js";
import { cliEnv, runCli, spawnCli } from "../support/built-cli.js";
import { SPEAKER_MP4, SPEECH_WAV } from "../support/fixtures.js";
import { type RecordingServer, startProxy } from "../support/recording-server.js";
import { literal, tempDirs } from "../support/temp-dir.js";

// Ctrl-C (SIGINT) at each stage of `videoretalk lipsync`, and resuming with `task wait`.
let emulator: Emulator;
let stalling: RecordingServer;
let speaker: Buffer;
const dirs = tempDirs();

beforeAll(async () => {
  // Speed 10: a task runs 3–6 s, long enough to interrupt the wait, short enough to resume.
  emulator = await startEmulator({ speed: 10 });
  // In front of it, a proxy that stalls chosen requests: uploads of files named "hang-*",
  // and the first download of every result (half the bytes, then nothing).
  stalling = await startProxy(emulator.url, {
    action: (request, count) => {
      if (request.path.startsWith("/results/") && request.method === "GET" && count === 0) return "half";
      if (request.path.startsWith("/api/v1/files/upload") && request.body.includes("hang-me")) return "hang";
      return "forward";
    },
  });
  speaker = await readFile(SPEAKER_MP4);
});
afterAll(async () => {
  await stalling.close();
  await emulator.close();
  await dirs.removeAll();
});

describe.concurrent("Ctrl-C", () => {
  it("while waiting: exits 130 at once and prints `videoretalk task wait <id>`; that command then finishes the job", async () => {
    const cwd = await dirs.make();
    const run = spawnCli(["lipsync", "--video", SPEAKER_MP4, "--audio", SPEECH_WAV, "--out", "result.mp4"], {
      env: cliEnv(emulator.url),
      cwd,
    });
    const [, id] = await run.waitForStderr(/created task (\S+)/);
    run.child.kill("SIGINT");
    // How fast it exits is a figure for `pnpm bench` (bench/abort-latency.mjs); that the wait
    // itself is abandoned at once is the in-process test in test/unit/abort.test.ts.
    const result = await run.done;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain("interrupted: stopped by Ctrl-C");
    expect(result.stderr).toContain(`task id: ${id}`);
    expect(result.stderr).toContain(`resume with: videoretalk task wait ${id}`);
    expect(result.stdout).toBe("");
    expect(await readdir(cwd)).toEqual([]);

    const resumed = await runCli(["task", "wait", id ?? "", "--out", "result.mp4"], { env: cliEnv(emulator.url), cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await readFile(join(cwd, "result.mp4"))).toEqual(speaker);
  });

  it("during the download: no partial file is left behind, and `task wait` downloads it again", async () => {
    const cwd = await dirs.make();
    const run = spawnCli(
      [
        "lipsync",
        "--video",
        `${stalling.url}/samples/speaker.mp4`,
        "--audio",
        `${stalling.url}/samples/speech.wav`,
        "--out",
        "result.mp4",
      ],
      { env: cliEnv(stalling.url), cwd },
    );
    const [, id] = await run.waitForStderr(/created task (\S+)/);
    // The proxy sends half of the file and then stalls.
    const half = formatBytes(Math.floor(speaker.byteLength / 2));
    await run.waitForStderr(
      new RegExp(`^download: ${literal(half)} of ${literal(formatBytes(speaker.byteLength))}$`, "m"),
    );
    expect((await readdir(cwd)).filter((name) => name.endsWith(".part"))).toHaveLength(1);
    run.child.kill("SIGINT");
    const result = await run.done;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain(`resume with: videoretalk task wait ${id}`);
    expect(await readdir(cwd)).toEqual([]);

    const resumed = await runCli(["task", "wait", id ?? "", "--out", "result.mp4"], { env: cliEnv(stalling.url), cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await readFile(join(cwd, "result.mp4"))).toEqual(speaker);
    expect(await readdir(cwd)).toEqual(["result.mp4"]);
  });

  it("with --json: one JSON document with the task id and the resume command", async () => {
    const cwd = await dirs.make();
    const marker = `json-ctrl-c-${Date.now()}`;
    const run = spawnCli(
      [
        "lipsync",
        "--video",
        `${stalling.url}/samples/speaker.mp4?m=${marker}`,
        "--audio",
        `${stalling.url}/samples/speech.wav`,
        "--json",
      ],
      { env: cliEnv(stalling.url), cwd },
    );
    // --json prints nothing on the way: the proxy says when the CLI reads its own task.
    await stalling.waitFor((requests) => {
      const create = requests.find((request) => request.body.includes(marker) && request.answer);
      const id = create?.answer && (JSON.parse(create.answer) as { id?: string }).id;
      return id !== undefined && requests.some((request) => request.path === `/v1/tasks/${id}`);
    });
    run.child.kill("SIGINT");
    const result = await run.done;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toBe("");
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ error: { name: "RequestAbortedError" }, exitCode: 130 });
    expect(document.resume).toBe(`videoretalk task wait ${document.taskId}`);
  });

  it("during an upload: exits 130 before any task exists, so there is nothing to resume", async () => {
    const cwd = await dirs.make();
    await copyFile(SPEAKER_MP4, join(cwd, "hang-me.mp4"));
    const run = spawnCli(["lipsync", "--video", "hang-me.mp4", "--audio", SPEECH_WAV], {
      env: cliEnv(stalling.url),
      cwd,
    });
    const size = literal(formatBytes(speaker.byteLength));
    await run.waitForStderr(new RegExp(`^upload hang-me\\.mp4: ${size} of ${size}$`, "m"));
    run.child.kill("SIGINT");
    const result = await run.done;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain("interrupted: stopped by Ctrl-C");
    expect(result.stderr).not.toContain("task id");
    expect(result.stderr).not.toContain("task wait");
    const creates = stalling.requests.filter(
      (request) => request.path === "/v1/videos/generations" && request.body.includes("hang-me"),
    );
    expect(creates).toEqual([]);
  });
});
