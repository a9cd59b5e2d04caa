import { readdir } from "node:fs/promises";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/program.js";
import { fakeIO } from "../support/fake-io.js";
import { type ScriptedApi, startScriptedApi, taskJson } from "../support/scripted-api.js";
import { tempDirs } from "../support/temp-dir.js";

// Ctrl-C while waiting, in-process: the CLI's signal is aborted as soon as it has shown the first
// read of a task that says it needs another hour. The next read would come a minute later at the
// earliest, so a run that ended (exit 130) after exactly one read abandoned the wait at once; a
// run that kept waiting would hang until the test's timeout (a hang guard, not the assertion).
const ID = "task-unified-1700000000-abcd1234";
const dirs = tempDirs();
const apis: ScriptedApi[] = [];
afterEach(async () => {
  await Promise.all(apis.splice(0).map((api) => api.close()));
});
afterAll(() => dirs.removeAll());

async function slowTaskApi(): Promise<ScriptedApi> {
  const running = taskJson({
    status: "processing",
    progress: 10,
    task_info: { can_cancel: false, estimated_time: 3600 },
  });
  const api = await startScriptedApi(() => ({ status: 200, json: running }));
  apis.push(api);
  return api;
}

/** Runs the CLI in-process and aborts its signal once stderr shows the first read of the task. */
async function interruptAfterFirstRead(argv: string[], api: ScriptedApi, cwd: string) {
  const controller = new AbortController();
  const { io, stdout, stderr } = fakeIO({
    env: { EVOLINK_API_KEY: "test-key", EVOLINK_BASE_URL: api.url, EVOLINK_FILES_BASE_URL: api.url },
    cwd,
    signal: controller.signal,
  });
  let readsAtAbort = -1;
  stderr.onText = (text) => {
    if (readsAtAbort === -1 && text.includes(`task ${ID}: processing 10%`)) {
      readsAtAbort = api.paths.filter((path) => path.startsWith("GET /v1/tasks/")).length;
      controller.abort();
    }
  };
  const code = await runCli(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text, readsAtAbort };
}

describe("Ctrl-C while waiting abandons the wait at once", () => {
  it("task wait: exit 130 after the one read, with the resume command", async () => {
    const api = await slowTaskApi();
    const cwd = await dirs.make();
    const result = await interruptAfterFirstRead(["task", "wait", ID], api, cwd);
    expect(result.code, result.stderr).toBe(130);
    expect(result.readsAtAbort).toBe(1);
    expect(api.paths.filter((path) => path.startsWith("GET /v1/tasks/"))).toEqual([`GET /v1/tasks/${ID}`]);
    expect(result.stderr).toContain("interrupted: stopped by Ctrl-C");
    expect(result.stderr).toContain(`resume with: videoretalk task wait ${ID}`);
    expect(await readdir(cwd)).toEqual([]);
  });

  it("lipsync: exit 130 after the create and one read, nothing saved", async () => {
    const api = await slowTaskApi();
    const cwd = await dirs.make();
    const result = await interruptAfterFirstRead(
      ["lipsync", "--video", "https://example.com/v.mp4", "--audio", "https://example.com/a.wav"],
      api,
      cwd,
    );
    expect(result.code, result.stderr).toBe(130);
    expect(api.paths.filter((path) => path.startsWith("POST "))).toHaveLength(1);
    expect(api.paths.filter((path) => path.startsWith("GET /v1/tasks/"))).toHaveLength(result.readsAtAbort);
    expect(result.stderr).toContain(`resume with: videoretalk task wait ${ID}`);
    expect(result.stdout).toBe("");
    expect(await readdir(cwd)).toEqual([]);
  });
});
