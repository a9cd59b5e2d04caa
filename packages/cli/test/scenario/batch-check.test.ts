import { spawnSync } from "node:child_process";
import { copyFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type Emulator, startEmulator } from "@videoretalk/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli } from "../support/built-cli.js";
import { SPEAKER_MP4, SPEECH_WAV } from "../support/fixtures.js";
import { startRecordingServer } from "../support/recording-server.js";
import { tempDirs } from "../support/temp-dir.js";

// The media pre-check of `videoretalk batch`, run as the built binary: `--dry-run` shows each
// row's problems and the billable total; a real run stops on a refused row before anything is
// uploaded or created. Bad media comes from @videoretalk/preflight's fixtures (made with ffmpeg).
const preflightRoot = dirname(createRequire(import.meta.url).resolve("@videoretalk/preflight/package.json"));
const TOO_SHORT_MP4 = join(preflightRoot, "fixtures", "too-short.mp4");

/** ffprobe's duration of a file, so the expected billable seconds come from an independent reader. */
function ffprobeSeconds(path: string): number {
  const run = spawnSync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path], {
    encoding: "utf8",
  });
  if (run.error) throw new Error("ffprobe is missing: apt-get install -y ffmpeg");
  return Number(run.stdout.trim());
}

let emulator: Emulator;
const dirs = tempDirs();

beforeAll(async () => {
  emulator = await startEmulator({ speed: 200 });
});
afterAll(async () => {
  await emulator.close();
  await dirs.removeAll();
});

async function catalogue(rows: string[][]): Promise<string> {
  const cwd = await dirs.make();
  await writeFile(join(cwd, "catalogue.csv"), `${rows.map((row) => row.join(",")).join("\n")}\n`);
  return cwd;
}

/**
 * A good row and a row whose video is 1.52 s (the API refuses videos under 2 s). Idempotency keys
 * derive from the id and inputs, so tests that create against the shared emulator set `audio` apart.
 */
function goodAndShort(audio = SPEECH_WAV): string[][] {
  return [
    ["id", "video", "audio"],
    ["good", SPEAKER_MP4, audio],
    ["short", TOO_SHORT_MP4, audio],
  ];
}
const SHORT_REFUSAL = "refuse video length is 1.52 s; the API accepts at least 2 s.";

describe("videoretalk batch pre-check", () => {
  it("--dry-run lists each row's problems and the billable total; a refusal makes it exit 1", async () => {
    const recorder = await startRecordingServer();
    try {
      // The recording server answers 418 to everything: a URL this machine cannot read is a warning only.
      const cwd = await catalogue([...goodAndShort(), ["remote", `${recorder.url}/speaker.mp4`, SPEECH_WAV]]);
      const dry = await runCli(["batch", "catalogue.csv", "--out-dir", "out", "--dry-run"], {
        env: { PATH: process.env.PATH ?? "" },
        cwd,
      });
      expect(dry.code, dry.stderr).toBe(1);
      const lines = dry.stdout.split("\n");
      const shortLine = lines.findIndex((line) => line.startsWith('line 3 (id "short"): upload, then create'));
      expect(lines[shortLine + 1]).toBe(`    ${SHORT_REFUSAL}`);
      const goodLine = lines.findIndex((line) => line.startsWith('line 2 (id "good"): upload, then create'));
      expect(lines[goodLine + 1]).toBe(lines[shortLine]);
      const remoteLine = lines.findIndex((line) => line.startsWith('line 4 (id "remote"): upload, then create'));
      expect(lines[remoteLine + 1]).toMatch(/^ {4}warn {3}video could not be read/);
      const billable =
        Math.min(ffprobeSeconds(SPEAKER_MP4), ffprobeSeconds(SPEECH_WAV)) + ffprobeSeconds(TOO_SHORT_MP4);
      expect(dry.stdout).toContain(
        `pre-check: 3 rows to create; billable ${billable.toFixed(2)} s in total (+ 1 of unknown length). 1 refused (line 3 (id "short"))`,
      );

      const forced = await runCli(["batch", "catalogue.csv", "--out-dir", "out", "--dry-run", "--force"], {
        env: { PATH: process.env.PATH ?? "" },
        cwd,
      });
      expect(forced.code, forced.stderr).toBe(0);
      expect(forced.stdout).toContain("1 refused; --force would create them anyway.");

      const json = await runCli(["batch", "catalogue.csv", "--out-dir", "out", "--dry-run", "--json"], {
        env: { PATH: process.env.PATH ?? "" },
        cwd,
      });
      expect(json.code).toBe(1);
      const doc = JSON.parse(json.stdout);
      expect(doc.preflight).toMatchObject({
        checked: 3,
        refused: ["short"],
        refusedRows: [{ line: 3, id: "short" }],
        billableUnknown: 1,
      });
      expect(doc.jobs.map((job: { id: string; line: number }) => [job.line, job.id])).toEqual([
        [2, "good"],
        [3, "short"],
        [4, "remote"],
      ]);
      expect(doc.preflight.billableSeconds).toBeCloseTo(billable, 1);
      const byId = Object.fromEntries(doc.jobs.map((job: { id: string }) => [job.id, job]));
      expect(byId.good.preflight).toEqual({ refused: false, problems: [], billableSeconds: expect.any(Number) });
      expect(byId.short.preflight.problems).toEqual([
        expect.objectContaining({ input: "video", code: "video.duration.min", severity: "refuse", actual: 1.52 }),
      ]);
      expect(byId.remote.preflight).toMatchObject({ refused: false, billableSeconds: null });
      expect(recorder.requests.every((request) => request.method === "GET" && request.headers.range)).toBe(true);
    } finally {
      await recorder.close();
    }
  });

  it("a real run with a refused row exits 1, listing it, with nothing uploaded or created", async () => {
    const recorder = await startRecordingServer();
    try {
      const cwd = await catalogue(goodAndShort());
      const run = await runCli(["batch", "catalogue.csv", "--out-dir", "out"], { env: cliEnv(recorder.url), cwd });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`  line 3 (id "short"):\n    ${SHORT_REFUSAL}\n`);
      expect(run.stderr).toContain("refused: 1 row breaks VideoRetalk's limits; nothing was uploaded or created");
      expect(run.stderr).toMatch(/\(use --force to send them anyway\)\.\n {2}line 3 \(id "short"\)\n/);
      expect(run.stderr).not.toContain('(id "good")');

      const json = await runCli(["batch", "catalogue.csv", "--out-dir", "out", "--json"], {
        env: cliEnv(recorder.url),
        cwd,
      });
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({
        error: { name: "PreflightRefused" },
        refused: [{ line: 3, id: "short", problems: [expect.objectContaining({ code: "video.duration.min" })] }],
        exitCode: 1,
      });
      expect(json.stderr).toBe("");
      expect(recorder.requests).toEqual([]);
    } finally {
      await recorder.close();
    }
  });

  it("--force creates the refused row anyway, and the emulator fails it the way the API does", async () => {
    const cwd = await catalogue(goodAndShort());
    const before = emulator.stats();
    const run = await runCli(["batch", "catalogue.csv", "--out-dir", "out", "--force", "--json"], {
      env: cliEnv(emulator.url),
      cwd,
    });
    expect(run.code, run.stderr).toBe(1);
    const summary = JSON.parse(run.stdout);
    expect(summary.jobs).toEqual([
      expect.objectContaining({ id: "good", status: "downloaded" }),
      expect.objectContaining({
        id: "short",
        status: "failed",
        error: expect.objectContaining({ code: "invalid_parameters" }),
      }),
    ]);
    // Both rows were created: the check's refusal did not stop the run.
    expect(emulator.stats().createsAccepted - before.createsAccepted).toBe(2);
  });

  it("--no-check skips the pre-check: the refused row is created, and fails", async () => {
    const cwd = await catalogue(goodAndShort("speech.wav"));
    await copyFile(SPEECH_WAV, join(cwd, "speech.wav"));
    const before = emulator.stats().createsAccepted;
    const run = await runCli(["batch", "catalogue.csv", "--out-dir", "out", "--no-check"], {
      env: cliEnv(emulator.url),
      cwd,
    });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).not.toContain("pre-check");
    expect(run.stdout).toMatch(/1\/2 downloaded, 1 failed/);
    expect(run.stdout).toMatch(/line 3 \(id "short"\) failed \(task .*\): invalid_parameters/);
    expect(emulator.stats().createsAccepted - before).toBe(2);

    const dry = await runCli(["batch", "catalogue.csv", "--out-dir", "other", "--dry-run", "--no-check"], {
      env: { PATH: process.env.PATH ?? "" },
      cwd,
    });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('line 3 (id "short"): upload, then create');
    expect(dry.stdout).not.toContain("pre-check");
    expect(dry.stdout).not.toContain("refuse");
  });

  it("rows the journal has already created are not checked again", async () => {
    const cwd = await catalogue([
      ["id", "video", "audio"],
      ["clip", "clip.mp4", SPEECH_WAV],
    ]);
    await copyFile(SPEAKER_MP4, join(cwd, "clip.mp4"));
    const first = await runCli(["batch", "catalogue.csv", "--out-dir", "out"], { env: cliEnv(emulator.url), cwd });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/pre-check: 1 row to create; billable 4\.00 s in total/);

    // Same path, so the same job; its content is now too short, but the task was made and downloaded.
    await copyFile(TOO_SHORT_MP4, join(cwd, "clip.mp4"));
    const again = await runCli(["batch", "catalogue.csv", "--out-dir", "out"], { env: cliEnv(emulator.url), cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain("pre-check");
    const dry = await runCli(["batch", "catalogue.csv", "--out-dir", "out", "--dry-run"], {
      env: { PATH: process.env.PATH ?? "" },
      cwd,
    });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('line 2 (id "clip"): skip');
    expect(dry.stdout).toContain("pre-check: 0 rows to create; billable 0.00 s in total.");
  });
});
