import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_JOURNAL_NAME, jobIdempotencyKey } from "@videoretalk/batch";
import { type Emulator, startEmulator } from "@videoretalk/emulator";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cliEnv, runCli, spawnCli } from "../support/built-cli.js";
import { SPEAKER_MP4 } from "../support/fixtures.js";
import { tempDirs } from "../support/temp-dir.js";

// The durability promise of `videoretalk batch`: kill -9 it at random moments of a 50-job run,
// resume each time, and in the end every job is downloaded once, byte-identical to the emulator's
// result, and the emulator made exactly one task per job. The moments are random (a random
// number of progress lines into each run); the verdict only looks at the end state.
let emulator: Emulator;
const dirs = tempDirs();
const JOBS = 50;
const MIN_KILLS = 20;

beforeAll(async () => {
  emulator = await startEmulator({ speed: 100 });
});
afterAll(async () => {
  await emulator.close();
  await dirs.removeAll();
});

/** Half the jobs upload their own local video (distinct bytes), half use URLs. */
async function writeCatalogue(cwd: string): Promise<{ id: string; video: string; audio: string }[]> {
  const speaker = await readFile(SPEAKER_MP4);
  const jobs: { id: string; video: string; audio: string }[] = [];
  for (let i = 0; i < JOBS; i++) {
    let video = `${emulator.url}/samples/speaker.mp4`;
    if (i % 2 === 0) {
      video = join(cwd, `clip-${i}.mp4`);
      await writeFile(video, Buffer.concat([speaker, Buffer.from(`clip ${i}`)]));
    }
    jobs.push({ id: `clip-${i}`, video, audio: `${emulator.url}/samples/speech.wav` });
  }
  await writeFile(join(cwd, "catalogue.jsonl"), `${jobs.map((job) => JSON.stringify(job)).join("\n")}\n`);
  return jobs;
}

/** Starts the batch and SIGKILLs it after `lines` progress lines; resolves whether it was killed. */
async function runAndKill(cwd: string, lines: number): Promise<boolean> {
  const run = spawnCli(["batch", "catalogue.jsonl", "--out-dir", "out", "--concurrency", "12"], {
    env: cliEnv(emulator.url),
    cwd,
  });
  const pattern = new RegExp(`(?:.*\\n){${lines}}`);
  await run.waitForStderr(pattern, 60_000).catch(() => undefined);
  const killed = run.child.kill("SIGKILL");
  const result = await run.done;
  return killed && result.signal === "SIGKILL";
}

it(`survives ≥ ${MIN_KILLS} kill -9 at random moments of a ${JOBS}-job batch: one task per job, every result intact`, {
  timeout: 600_000,
}, async () => {
  const cwd = await dirs.make();
  const jobs = await writeCatalogue(cwd);
  let kills = 0;
  for (let attempt = 0; kills < MIN_KILLS && attempt < MIN_KILLS * 4; attempt++) {
    if (await runAndKill(cwd, 1 + Math.floor(Math.random() * 25))) kills++;
  }
  expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);

  const final = await runCli(["batch", "catalogue.jsonl", "--out-dir", "out", "--json"], {
    env: cliEnv(emulator.url),
    cwd,
  });
  expect(final.code, final.stderr).toBe(0);
  const summary = JSON.parse(final.stdout);
  expect(summary.totals).toMatchObject({ jobs: JOBS, downloaded: JOBS });

  const stats = emulator.stats();
  expect(stats.tasks).toHaveLength(JOBS);
  const expectedKeys = jobs.map((job) => jobIdempotencyKey(job)).sort();
  expect(stats.tasks.map((task) => task.idempotencyKey).sort()).toEqual(expectedKeys);

  for (const job of summary.jobs) {
    const served = Buffer.from(await (await fetch(`${emulator.url}/results/${job.task_id}.mp4`)).arrayBuffer());
    const saved = await readFile(job.output.path);
    expect(saved.equals(served), job.id).toBe(true);
  }
  for (const [index, job] of jobs.entries()) {
    if (index % 2 !== 0) continue;
    const saved = await readFile(join(cwd, "out", `${job.id}.mp4`));
    expect(saved.equals(await readFile(job.video)), job.id).toBe(true);
  }
  // The journal ends whole after the final run (a torn line of a killed run was cut off).
  const journal = await readFile(join(cwd, "out", DEFAULT_JOURNAL_NAME), "utf8");
  expect(journal.endsWith("\n")).toBe(true);
  // Temp files of downloads cut by a kill were cleaned up by the runs that followed.
  expect((await readdir(join(cwd, "out"))).filter((name) => name.endsWith(".part"))).toEqual([]);
});
