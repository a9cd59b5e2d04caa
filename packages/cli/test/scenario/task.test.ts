import { readdir, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type Emulator, startEmulator } from "@videoretalk/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatBytes } from "../../src/format.js";
import { cliEnv, runCli } from "../support/built-cli.js";
import { SPEAKER_MP4 } from "../support/fixtures.js";
import { literal, TASK_ID, tempDirs } from "../support/temp-dir.js";

// `videoretalk task get` and `task wait`, and the wait timeout, through the built binary.
let fast: Emulator;
let slow: Emulator;
let hooks: Server;
let speaker: Buffer;
const dirs = tempDirs();
/** Terminal statuses delivered by the fast emulator's callbacks, and who waits for them. */
const finished = new Map<string, string>();
const waiting = new Set<() => void>();

beforeAll(async () => {
  // Every task of the fast emulator reports its end to this receiver (forwardCallbacksTo), so
  // a test waits for that event instead of polling on a timer.
  hooks = createServer((req, res) => {
    let text = "";
    req.setEncoding("utf8").on("data", (chunk: string) => {
      text += chunk;
    });
    req.on("end", () => {
      const task = JSON.parse(text) as { id: string; status: string };
      finished.set(task.id, task.status);
      res.end();
      for (const wake of [...waiting]) wake();
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, "127.0.0.1", resolve));
  const hookOrigin = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
  fast = await startEmulator({ speed: 100, forwardCallbacksTo: hookOrigin });
  // At speed 1 a task runs 30–60 s: long enough to time out any short wait.
  slow = await startEmulator({ speed: 1 });
  speaker = await readFile(SPEAKER_MP4);
});
afterAll(async () => {
  await Promise.all([fast.close(), slow.close()]);
  await new Promise((resolve) => hooks.close(resolve));
  await dirs.removeAll();
});

/** Creates a task with `--no-wait` (and a callback URL, which the fast emulator forwards) and returns its id. */
async function createTask(emulator: Emulator, scenario?: string): Promise<string> {
  const video = `${emulator.url}/samples/speaker.mp4${scenario ? `?scenario=${scenario}` : ""}`;
  const result = await runCli(
    [
      "lipsync",
      "--video",
      video,
      "--audio",
      `${emulator.url}/samples/speech.wav`,
      "--callback-url",
      "https://hooks.example.com/videoretalk",
      "--no-wait",
    ],
    { env: cliEnv(emulator.url), cwd: await dirs.make() },
  );
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim();
}

/** Waits for the fast emulator's callback for `id` (an event), then checks the status it ended in. */
async function until(id: string, done: (status: string) => boolean): Promise<void> {
  const status = await new Promise<string>((resolve) => {
    const check = () => {
      const ended = finished.get(id);
      if (ended === undefined) return;
      waiting.delete(check);
      resolve(ended);
    };
    waiting.add(check);
    check();
  });
  expect(done(status), `${id} ended ${status}`).toBe(true);
}

describe.concurrent("videoretalk task get", () => {
  it("exits 0 for a running task and prints its status", async () => {
    const id = await createTask(slow);
    const running = await runCli(["task", "get", id], { env: cliEnv(slow.url) });
    expect(running.code, running.stderr).toBe(0);
    expect(running.stdout).toMatch(new RegExp(`^task      ${id}\\nstatus    (pending|processing) \\(\\d+%\\)\\n`));
    expect(running.stdout).toMatch(/^estimate {2}\d+ s left$/m);
    // 40 credits per second of the sample video.
    expect(running.stdout).toMatch(/^credits {3}[1-9]\d*0 reserved$/m);
  });

  it("exits 0 for a completed task and prints its status and result", async () => {
    const id = await createTask(fast);
    await until(id, (status) => status === "completed");
    const completed = await runCli(["task", "get", id], { env: cliEnv(fast.url) });
    expect(completed.code, completed.stderr).toBe(0);
    expect(completed.stderr).toBe("");
    expect(completed.stdout).toMatch(/^status {4}completed \(100%\)$/m);
    expect(completed.stdout).toMatch(new RegExp(`^result    ${literal(fast.url)}/results/${id}\\.mp4$`, "m"));
    expect(completed.stdout).not.toMatch(/^estimate/m);
  });

  it("exits 0 for a failed task, with its error code", async () => {
    const id = await createTask(fast, "fail:service_error");
    await until(id, (status) => status === "failed");
    const result = await runCli(["task", "get", id], { env: cliEnv(fast.url) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^status {4}failed \(0%\)$/m);
    expect(result.stdout).toMatch(/^error {5}service_error: Service error\./m);
  });

  it("exits 0 for a cancelled task", async () => {
    const id = await createTask(fast, "cancel");
    await until(id, (status) => status === "cancelled");
    const result = await runCli(["task", "get", id], { env: cliEnv(fast.url) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^status {4}cancelled \(0%\)$/m);
    expect(result.stdout).toMatch(/^error {5}request_cancelled: /m);
  });

  it("--json prints the task as the API returns it", async () => {
    const id = await createTask(fast);
    const result = await runCli(["task", "get", id, "--json"], { env: cliEnv(fast.url) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toMatchObject({ id, object: "video.generation.task", model: "videoretalk" });
  });

  it("an unknown task is the API's 404, exit 3", async () => {
    const result = await runCli(["task", "get", "task-unified-1700000000-nonexist"], { env: cliEnv(fast.url) });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/^error: 404 task_not_found: /m);
    expect(result.stdout).toBe("");
  });

  it("a malformed id is the API's 400, exit 3", async () => {
    const result = await runCli(["task", "get", "not-a-task"], { env: cliEnv(fast.url) });
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/^error: 400 invalid_task_id: /m);
  });
});

describe.concurrent("videoretalk task wait", () => {
  it("waits for a --no-wait task and downloads it to --out", async () => {
    const id = await createTask(fast);
    const cwd = await dirs.make();
    const result = await runCli(["task", "wait", id, "--out", "f.mp4"], { env: cliEnv(fast.url), cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(join(cwd, "f.mp4"))).toEqual(speaker);
    expect(result.stdout).toMatch(
      new RegExp(
        `^done in \\d+\\.\\d s\\n  task     ${id}\\n  output   ${literal(join(cwd, "f.mp4"))} \\(${literal(formatBytes(speaker.byteLength))}\\)\\n$`,
      ),
    );
    expect(result.stderr).toContain(`task ${id}: completed 100%`);
  });

  it("downloads to ./<id>.mp4 by default, and again when the task is already done", async () => {
    const id = await createTask(fast);
    const cwd = await dirs.make();
    expect((await runCli(["task", "wait", id], { env: cliEnv(fast.url), cwd })).code).toBe(0);
    const again = await runCli(["task", "wait", id, "--json"], { env: cliEnv(fast.url), cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      id,
      status: "completed",
      output: { path: join(cwd, `${id}.mp4`), bytes: speaker.byteLength },
    });
    expect(await readdir(cwd)).toEqual([`${id}.mp4`]);
  });

  it("--no-download only waits and prints the result URL", async () => {
    const id = await createTask(fast);
    const cwd = await dirs.make();
    const result = await runCli(["task", "wait", id, "--no-download"], { env: cliEnv(fast.url), cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`  result   ${fast.url}/results/${id}.mp4`);
    expect(await readdir(cwd)).toEqual([]);
  });

  it("exits 1 for a failed task", async () => {
    const id = await createTask(fast, "fail:generation_timeout");
    const result = await runCli(["task", "wait", id], { env: cliEnv(fast.url), cwd: await dirs.make() });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(`error: Task ${id} failed (generation_timeout)`);
  });
});

describe.concurrent("wait timeout exits 3 with the id and how to resume", () => {
  it("lipsync --timeout 0.5 on a slow task", async () => {
    const cwd = await dirs.make();
    const result = await runCli(
      [
        "lipsync",
        "--video",
        `${slow.url}/samples/speaker.mp4`,
        "--audio",
        `${slow.url}/samples/speech.wav`,
        "--timeout",
        "0.5",
      ],
      { env: cliEnv(slow.url), cwd },
    );
    expect(result.code, result.stderr).toBe(3);
    const id = result.stderr.match(TASK_ID)?.[0];
    expect(id).toBeDefined();
    expect(result.stderr).toMatch(new RegExp(`error: Task ${id} did not finish within 500 ms`));
    expect(result.stderr).toContain(`task id: ${id}`);
    expect(result.stderr).toContain(`resume with: videoretalk task wait ${id}`);
    expect(await readdir(cwd)).toEqual([]);
  });

  it("task wait --timeout 0.5, also with --json", async () => {
    const id = await createTask(slow);
    const text = await runCli(["task", "wait", id, "--timeout", "0.5"], { env: cliEnv(slow.url) });
    expect(text.code, text.stderr).toBe(3);
    expect(text.stderr).toContain(`resume with: videoretalk task wait ${id}`);

    const json = await runCli(["task", "wait", id, "--timeout", "0.5", "--json"], { env: cliEnv(slow.url) });
    expect(json.code, json.stderr).toBe(3);
    expect(json.stderr).toBe("");
    expect(JSON.parse(json.stdout)).toMatchObject({
      error: { name: "WaitTimeoutError", taskId: id, timeoutMs: 500, task: { id } },
      exitCode: 3,
      taskId: id,
      resume: `videoretalk task wait ${id}`,
    });
  });
});
