import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Emulator, startEmulator } from "@videoretalk/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatBytes } from "../../src/format.js";
import { cliEnv, runCli } from "../support/built-cli.js";
import { SPEAKER_MP4, SPEECH_WAV } from "../support/fixtures.js";
import { type RecordingServer, startProxy } from "../support/recording-server.js";
import { literal, TASK_ID, tempDirs } from "../support/temp-dir.js";

// The happy paths of `videoretalk lipsync`, run as users run it: the built binary in a child
// process, with piped (non-TTY) output, against the emulator at 100× speed (tasks take 0.3–0.6 s).
let emulator: Emulator;
let proxy: RecordingServer;
let speaker: Buffer;
const dirs = tempDirs();

beforeAll(async () => {
  emulator = await startEmulator({ speed: 100 });
  proxy = await startProxy(emulator.url);
  speaker = await readFile(SPEAKER_MP4);
});
afterAll(async () => {
  await proxy.close();
  await emulator.close();
  await dirs.removeAll();
});

function idIn(text: string): string {
  const id = text.match(TASK_ID)?.[0];
  if (!id) throw new Error(`no task id in:\n${text}`);
  return id;
}

describe.concurrent("videoretalk lipsync", () => {
  it("uploads local files, waits, downloads the result and prints a summary", async () => {
    const cwd = await dirs.make();
    const result = await runCli(["lipsync", "--video", SPEAKER_MP4, "--audio", SPEECH_WAV, "--out", "result.mp4"], {
      env: cliEnv(emulator.url),
      cwd,
    });
    expect(result.stderr).not.toMatch(/^error/m);
    expect(result.code, result.stderr).toBe(0);
    const id = idIn(result.stdout);
    const out = join(cwd, "result.mp4");

    // The emulator's result for an uploaded video is that video's bytes.
    expect(await readFile(out)).toEqual(speaker);
    expect(await readdir(cwd)).toEqual(["result.mp4"]);

    // stdout: the summary only (task id, credits reserved, elapsed time, output path and size).
    expect(result.stdout).toMatch(
      new RegExp(
        `^done in \\d+\\.\\d s\\n  task     ${id}\\n  credits  160 reserved\\n  output   ${literal(out)} \\(${literal(formatBytes(speaker.byteLength))}\\)\\n$`,
      ),
    );

    // stderr: plain progress lines, no terminal escapes, since it is not a TTY.
    expect(result.stderr).not.toContain("\x1b");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toContain("upload speaker.mp4: 91.1 kB of 91.1 kB");
    expect(lines).toContain("upload speech.wav: 128.0 kB of 128.0 kB");
    expect(lines).toContain(`created task ${id} (160 credits reserved)`);
    expect(lines).toContain(`task ${id}: completed 100%`);
    expect(lines.at(-1)).toBe("download: 91.1 kB of 91.1 kB");
    expect(lines.indexOf(`created task ${id} (160 credits reserved)`)).toBeGreaterThan(
      lines.indexOf("upload speech.wav: 128.0 kB of 128.0 kB"),
    );
  });

  it("passes media URLs through without uploading (the emulator's samples)", async () => {
    const cwd = await dirs.make();
    const result = await runCli(
      [
        "lipsync",
        "--video",
        `${emulator.url}/samples/speaker.mp4`,
        "--audio",
        `${emulator.url}/samples/speech.wav`,
        "--out",
        "from-urls.mp4",
      ],
      { env: cliEnv(emulator.url), cwd },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain("upload");
    expect(await readFile(join(cwd, "from-urls.mp4"))).toEqual(speaker);
  });

  it("--out defaults to ./<task id>.mp4 in the working directory", async () => {
    const cwd = await dirs.make();
    const result = await runCli(
      ["lipsync", "--video", `${emulator.url}/samples/speaker.mp4`, "--audio", `${emulator.url}/samples/speech.wav`],
      { env: cliEnv(emulator.url), cwd },
    );
    expect(result.code, result.stderr).toBe(0);
    const id = idIn(result.stdout);
    expect(await readdir(cwd)).toEqual([`${id}.mp4`]);
    expect(await readFile(join(cwd, `${id}.mp4`))).toEqual(speaker);
    expect(result.stdout).toContain(`output   ${join(cwd, `${id}.mp4`)} (91.1 kB)`);
  });

  it("--json prints exactly one JSON document on stdout: the task plus output {path, bytes}", async () => {
    const cwd = await dirs.make();
    const result = await runCli(
      ["lipsync", "--video", SPEAKER_MP4, "--audio", SPEECH_WAV, "--json", "--out", "r.mp4"],
      {
        env: cliEnv(emulator.url),
        cwd,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    // Machine-readable output only: no progress, no summary lines.
    expect(result.stderr).toBe("");
    expect(result.stdout.endsWith("\n")).toBe(true);
    expect(result.stdout.trimEnd()).not.toContain("\n");
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({
      id: expect.stringMatching(TASK_ID),
      object: "video.generation.task",
      model: "videoretalk",
      status: "completed",
      progress: 100,
      results: [expect.stringMatching(/\/results\/task-unified-.*\.mp4$/)],
      usage: { credits_reserved: 160 },
      output: { path: join(cwd, "r.mp4"), bytes: speaker.byteLength },
      elapsedMs: expect.any(Number),
    });
    expect(await readFile(join(cwd, "r.mp4"))).toEqual(speaker);
  });

  it("--no-wait prints the task id and exits 0; the task exists", async () => {
    const cwd = await dirs.make();
    const result = await runCli(["lipsync", "--video", SPEAKER_MP4, "--audio", SPEECH_WAV, "--no-wait"], {
      env: cliEnv(emulator.url),
      cwd,
    });
    expect(result.code, result.stderr).toBe(0);
    const id = idIn(result.stdout);
    expect(result.stdout).toBe(`${id}\n`);
    expect(result.stderr).toContain(`not waiting; follow it with: videoretalk task wait ${id}`);
    expect(await readdir(cwd)).toEqual([]);
    const answer = await fetch(`${emulator.url}/v1/tasks/${id}`, { headers: { authorization: "Bearer any" } });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ id });
  });

  it("--no-wait --json prints the created task as one JSON document", async () => {
    const result = await runCli(
      ["lipsync", "--video", `${emulator.url}/samples/speaker.mp4`, "--audio", SPEECH_WAV, "--no-wait", "--json"],
      { env: cliEnv(emulator.url), cwd: await dirs.make() },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toMatchObject({
      id: expect.stringMatching(TASK_ID),
      status: "pending",
      usage: { credits_reserved: 160 },
    });
  });

  it("sends every flag to the API under its wire name", async () => {
    const cwd = await dirs.make();
    await writeFile(join(cwd, "face.png"), Buffer.from("89504e470d0a1a0a", "hex"));
    const marker = `flags-${Date.now()}`;
    const result = await runCli(
      [
        "lipsync",
        "--video",
        SPEAKER_MP4,
        "--audio",
        SPEECH_WAV,
        "--ref-image",
        "face.png",
        "--extend",
        "--threshold",
        "150",
        "--callback-url",
        `https://example.com/hooks/videoretalk?m=${marker}`,
        "--out",
        "out.mp4",
      ],
      { env: cliEnv(proxy.url), cwd },
    );
    expect(result.code, result.stderr).toBe(0);
    const creates = proxy.requests.filter(
      (request) =>
        request.method === "POST" && request.path === "/v1/videos/generations" && request.body.includes(marker),
    );
    expect(creates).toHaveLength(1);
    const create = creates[0];
    expect(create?.headers.authorization).toBe("Bearer test-key-not-secret");
    expect(create?.headers["idempotency-key"]).toMatch(/^[A-Za-z0-9._-]{16,96}$/);
    const body = JSON.parse(create?.body ?? "{}");
    expect(Object.keys(body).sort()).toEqual([
      "audio_url",
      "callback_url",
      "model",
      "query_face_threshold",
      "ref_image_url",
      "video_extension",
      "video_url",
    ]);
    expect(body).toMatchObject({
      model: "videoretalk",
      // Uploaded through the Files API: each field holds its upload's file_url.
      video_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/files\/videos\/\w+\.mp4$/),
      audio_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/files\/audios\/\w+\.wav$/),
      ref_image_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/files\/images\/\w+\.png$/),
      video_extension: true,
      query_face_threshold: 150,
      callback_url: `https://example.com/hooks/videoretalk?m=${marker}`,
    });
    expect(result.stderr).toContain("upload face.png: ");
  });

  it("--idempotency-key makes a rerun return the same task instead of a second one", async () => {
    const key = `cli-test-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const args = [
      "lipsync",
      "--video",
      `${emulator.url}/samples/speaker.mp4?k=${key}`,
      "--audio",
      `${emulator.url}/samples/speech.wav`,
      "--idempotency-key",
      key,
      "--no-wait",
    ];
    const first = await runCli(args, { env: cliEnv(emulator.url), cwd: await dirs.make() });
    const second = await runCli(args, { env: cliEnv(emulator.url), cwd: await dirs.make() });
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  });
});
