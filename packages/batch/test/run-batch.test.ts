import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type BatchEvent, DEFAULT_JOURNAL_NAME, exitCodeOf, jobIdempotencyKey, runBatch } from "../src/index.js";
import { distinctVideos, emulatorPerTest, FAST_POLL, mismatchedOutputs, sampleJobs } from "./support/setup.js";

const setup = emulatorPerTest();

describe("runBatch against the emulator", () => {
  it("uploads, creates, waits with batch reads, downloads and checksums every job", async () => {
    const { emulator, dir, client } = await setup();
    const videos = await distinctVideos(emulator, dir, 6);
    const jobs = videos.map((video, index) => ({
      id: `clip-${index}`,
      video,
      audio: `${emulator.url}/samples/speech.wav`,
    }));
    const events: BatchEvent[] = [];
    const outDir = join(dir, "out");
    const summary = await runBatch(client, jobs, {
      outDir,
      ...FAST_POLL,
      allowPrivateNetwork: true,
      onEvent: (event) => events.push(event),
    });

    expect(summary.totals).toMatchObject({ jobs: 6, downloaded: 6, failed: 0, skipped: 0, unfinished: 0 });
    expect(exitCodeOf(summary)).toBe(0);
    expect(await mismatchedOutputs(emulator, summary)).toEqual([]);
    // The result of an uploaded video is that video: each job got its own file.
    for (const [index, job] of summary.jobs.entries()) {
      expect((await readFile(job.output?.path as string)).equals(await readFile(videos[index] as string))).toBe(true);
      expect(job.output?.path).toBe(join(outDir, `clip-${index}.mp4`));
    }
    const stats = emulator.stats();
    expect(stats.tasks).toHaveLength(6);
    expect(stats.tasks.map((task) => task.idempotencyKey).sort()).toEqual(
      jobs.map((job) => jobIdempotencyKey(job)).sort(),
    );
    expect(stats.taskReads).toBe(0);
    expect(stats.batchReads).toBe(summary.totals.taskReads);
    const journal = (await readFile(join(outDir, DEFAULT_JOURNAL_NAME), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const steps = journal.filter((cp) => cp.job === "clip-0").map((cp) => cp.step);
    expect(steps).toEqual(["planned", "uploaded", "creating", "created", "terminal", "downloaded"]);
    expect(events.filter((e) => e.type === "job" && e.state === "downloaded")).toHaveLength(6);
  });

  it("resumes: a second run creates nothing and skips checksum-valid results; a deleted result is fetched again", async () => {
    const { emulator, dir, client } = await setup();
    const jobs = sampleJobs(emulator, 4);
    const outDir = join(dir, "out");
    const first = await runBatch(client, jobs, { outDir, ...FAST_POLL, allowPrivateNetwork: true });
    expect(first.totals.downloaded).toBe(4);

    const again = await runBatch(client, jobs, { outDir, ...FAST_POLL, allowPrivateNetwork: true });
    expect(again.totals.downloaded).toBe(4);
    expect(again.totals.createCalls).toBe(0);
    expect(again.totals.taskReads).toBe(0);

    // A download cut by kill -9 leaves its temp file; the next run removes it.
    await writeFile(join(outDir, ".job-003.mp4.0a1b2c3d4e5f.part"), "partial");
    await rm(first.jobs[1]?.output?.path as string);
    await writeFile(first.jobs[2]?.output?.path as string, "tampered");
    const repaired = await runBatch(client, jobs, { outDir, ...FAST_POLL, allowPrivateNetwork: true });
    expect(repaired.totals.createCalls).toBe(0);
    expect(await mismatchedOutputs(emulator, repaired)).toEqual([]);
    expect(emulator.stats().tasks).toHaveLength(4);
    expect((await readdir(outDir)).filter((name) => name.endsWith(".part"))).toEqual([]);
  });

  it("records a failed task with its error code, exits 1, and creates a new task only with retryFailed", async () => {
    const { emulator, dir, client } = await setup();
    const jobs = sampleJobs(emulator, 3, (index) => (index === 1 ? "fail:generation_timeout" : undefined));
    const outDir = join(dir, "out");
    const summary = await runBatch(client, jobs, { outDir, ...FAST_POLL, allowPrivateNetwork: true });
    const failed = summary.jobs.find((job) => job.id === "job-001");
    expect(failed).toMatchObject({ status: "failed", error: { code: "generation_timeout" } });
    expect(summary.totals).toMatchObject({ downloaded: 2, failed: 1 });
    expect(exitCodeOf(summary)).toBe(1);

    const rerun = await runBatch(client, jobs, { outDir, ...FAST_POLL, allowPrivateNetwork: true });
    expect(rerun.totals.createCalls).toBe(0);
    expect(rerun.jobs[1]).toMatchObject({ status: "failed", error: { code: "generation_timeout" } });

    const events: BatchEvent[] = [];
    const retried = await runBatch(client, jobs, {
      outDir,
      ...FAST_POLL,
      allowPrivateNetwork: true,
      retryFailed: true,
      onEvent: (event) => events.push(event),
    });
    expect(events).toContainEqual({ type: "retry-failed", job: "job-001", attempt: 2 });
    expect(retried.totals.createCalls).toBe(1);
    const keys = emulator.stats().tasks.map((task) => task.idempotencyKey);
    expect(keys).toContain(jobIdempotencyKey(jobs[1] as (typeof jobs)[number], 2));
    expect(new Set(keys).size).toBe(4);
  });

  it("tolerates a torn last journal line and resumes from the line before", async () => {
    const { emulator, dir, client } = await setup();
    const jobs = sampleJobs(emulator, 2);
    const outDir = join(dir, "out");
    await runBatch(client, jobs, { outDir, ...FAST_POLL, allowPrivateNetwork: true });
    const path = join(outDir, DEFAULT_JOURNAL_NAME);
    const lines = (await readFile(path, "utf8")).trim().split("\n");
    // Drop the last "downloaded" line and leave half of it, as a crash mid-write would.
    const last = lines.pop() as string;
    await writeFile(path, `${lines.join("\n")}\n${last.slice(0, Math.floor(last.length / 2))}`);
    const resumed = await runBatch(client, jobs, { outDir, ...FAST_POLL, allowPrivateNetwork: true });
    expect(resumed.totals.downloaded).toBe(2);
    expect(resumed.totals.createCalls).toBe(0);
    expect(emulator.stats().tasks).toHaveLength(2);
    const after = (await readFile(path, "utf8")).split("\n");
    expect(after.at(-1)).toBe("");
    for (const line of after.slice(0, -1)) expect(() => JSON.parse(line)).not.toThrow();
  });
});
