import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createVideoRetalk, type VideoRetalkClient } from "@videoretalk/core";
import { type EmulatorOptions, startEmulator } from "@videoretalk/emulator";
import { afterEach } from "vitest";
import type { BatchJob, BatchSummary } from "../../src/index.js";

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** Polling bounds that suit an emulator at speed ≥ 100 (tasks of 0.3 s or less). */
export const FAST_POLL = { minPollIntervalMs: 20, maxPollIntervalMs: 250 } as const;

/** An emulator on a free loopback port, fast enough that a task takes a fraction of a second. */
export function emulatorWith(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ speed: 200, ...options });
}

export function clientFor(emulator: Emulator, options: { fetch?: typeof fetch } = {}): VideoRetalkClient {
  return createVideoRetalk({ apiKey: "test-key", baseUrl: emulator.url, filesBaseUrl: emulator.url, ...options });
}

/** A fresh temporary folder, removed by the returned cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "vr-batch-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** `n` jobs on the emulator's sample media; `scenario` adds `?scenario=` to chosen jobs' video URL. */
export function sampleJobs(
  emulator: Emulator,
  n: number,
  scenario: (index: number) => string | undefined = () => undefined,
): BatchJob[] {
  return Array.from({ length: n }, (_, index) => {
    const extra = scenario(index);
    const video = `${emulator.url}/samples/speaker.mp4${extra ? `?scenario=${encodeURIComponent(extra)}` : ""}`;
    return { id: `job-${String(index).padStart(3, "0")}`, video, audio: `${emulator.url}/samples/speech.wav` };
  });
}

/** Writes `count` distinct small "videos" (the sample plus a unique tail) into `dir`; returns their paths. */
export async function distinctVideos(emulator: Emulator, dir: string, count: number): Promise<string[]> {
  const sample = Buffer.from(await (await fetch(`${emulator.url}/samples/speaker.mp4`)).arrayBuffer());
  const paths: string[] = [];
  for (let index = 0; index < count; index++) {
    const path = join(dir, `video-${index}.mp4`);
    await writeFile(path, Buffer.concat([sample, Buffer.from(`\nunique-${index}`)]));
    paths.push(path);
  }
  return paths;
}

/** The bytes the emulator serves as a task's result. */
export async function resultBytes(emulator: Emulator, taskId: string): Promise<Buffer> {
  const response = await fetch(`${emulator.url}/results/${taskId}.mp4`);
  if (!response.ok) throw new Error(`result of ${taskId}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** Asserts-by-return: every job downloaded, byte-identical to the emulator's result. */
export async function mismatchedOutputs(emulator: Emulator, summary: BatchSummary): Promise<string[]> {
  const bad: string[] = [];
  for (const job of summary.jobs) {
    if (job.status !== "downloaded" || !job.output || !job.task_id) {
      bad.push(`${job.id}: ${job.status}`);
      continue;
    }
    const [onDisk, served] = await Promise.all([readFile(job.output.path), resultBytes(emulator, job.task_id)]);
    if (!onDisk.equals(served)) bad.push(`${job.id}: bytes differ`);
  }
  return bad;
}

/**
 * One emulator and one temporary folder per test, closed and removed after it. Call it at the top
 * of a test file; each test then awaits the returned function with its emulator options.
 */
export function emulatorPerTest(): (
  options?: EmulatorOptions,
) => Promise<{ emulator: Emulator; dir: string; client: VideoRetalkClient }> {
  let emulator: Emulator | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await emulator?.close();
    await cleanup?.();
    emulator = undefined;
    cleanup = undefined;
  });
  return async (options = {}) => {
    emulator = await emulatorWith(options);
    const temp = await tempDir();
    cleanup = temp.cleanup;
    return { emulator, dir: temp.dir, client: clientFor(emulator) };
  };
}
