import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BatchJob } from "@videoretalk/batch";

const FIXTURES = fileURLToPath(new URL("../../../emulator/fixtures/", import.meta.url));
export const SPEAKER = join(FIXTURES, "speaker.mp4");
export const SPEECH = join(FIXTURES, "speech.wav");

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(prefix = "vr-bullmq-"): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * `count` jobs whose videos are distinct local files (the sample plus a per-job trailer), so the
 * emulator's result for each (its input video's bytes) tells the jobs apart.
 */
export function makeJobs(
  dir: string,
  count: number,
  prefix = "clip",
): { jobs: BatchJob[]; videos: Map<string, Buffer> } {
  const sample = readFileSync(SPEAKER);
  const jobs: BatchJob[] = [];
  const videos = new Map<string, Buffer>();
  for (let index = 0; index < count; index++) {
    const id = `${prefix}-${String(index).padStart(4, "0")}`;
    const bytes = Buffer.concat([sample, Buffer.from(`\u0000${id}`)]);
    const path = join(dir, `${id}.mp4`);
    writeFileSync(path, bytes);
    videos.set(id, bytes);
    jobs.push({ id, video: path, audio: SPEECH });
  }
  return { jobs, videos };
}
