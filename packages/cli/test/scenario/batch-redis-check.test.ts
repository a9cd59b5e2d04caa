import { existsSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Queue } from "bullmq";
import { describe, expect, it } from "vitest";
import { runCli, spawnCli } from "../support/built-cli.js";
import { SPEAKER_MP4, SPEECH_WAV } from "../support/fixtures.js";
import { redisWithEmulator } from "../support/redis-emulator.js";

// A 1.52 s video from @videoretalk/preflight's ffmpeg-made fixtures: the API refuses videos under 2 s.
const preflightRoot = dirname(createRequire(import.meta.url).resolve("@videoretalk/preflight/package.json"));
const TOO_SHORT_MP4 = join(preflightRoot, "fixtures", "too-short.mp4");

describe("videoretalk batch --redis runs the local batch's media pre-check", () => {
  const stack = redisWithEmulator();

  async function catalogue(suffix = ""): Promise<string> {
    const dir = await stack.dirs.make();
    writeFileSync(
      join(dir, "jobs.csv"),
      `id,video,audio\ngood${suffix},${SPEAKER_MP4},${SPEECH_WAV}\nshort${suffix},${TOO_SHORT_MP4},${SPEECH_WAV}\n`,
    );
    return dir;
  }

  async function queuedJobs(queueName: string): Promise<number> {
    const queue = new Queue(queueName, { connection: { host: "127.0.0.1", port: stack.redis.port } });
    try {
      const counts = await queue.getJobCounts();
      return Object.values(counts).reduce((sum, count) => sum + count, 0);
    } finally {
      await queue.close();
    }
  }

  it("refuses a batch with a row the API would refuse: exit 1, nothing uploaded, enqueued or created", async () => {
    const dir = await catalogue();
    const env = stack.env();
    const args = ["batch", join(dir, "jobs.csv"), "--out-dir", join(dir, "out"), "--redis", stack.redis.url];
    const refused = await runCli([...args, "--queue", "checked"], { env });
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(/short/);
    expect(refused.stderr).toMatch(/video length is 1\.52 s; the API accepts at least 2 s/);
    expect(refused.stderr).toMatch(/1 row breaks VideoRetalk's limits; nothing was uploaded or created/);
    expect(await queuedJobs("checked")).toBe(0);
    expect(existsSync(join(dir, "out", ".videoretalk-batch.jsonl"))).toBe(false);

    const json = await runCli([...args, "--queue", "checked", "--json"], { env });
    expect(json.code).toBe(1);
    const document = JSON.parse(json.stdout);
    expect(document.error.name).toBe("PreflightRefused");
    expect(document.refused.map((row: { id: string }) => row.id)).toEqual(["short"]);
    expect(stack.emulator.stats().createsAccepted).toBe(0);
  });

  it("--force enqueues the refused row anyway (the API then fails it); --no-check skips the check", async () => {
    const dir = await catalogue();
    const env = stack.env();
    const worker = spawnCli(["worker", "--redis", stack.redis.url, "--queue", "forced"], { env });
    try {
      await worker.waitForStderr(/worker on queue forced/);
      const base = ["batch", join(dir, "jobs.csv"), "--redis", stack.redis.url, "--json"];
      const forced = await runCli([...base, "--out-dir", join(dir, "forced"), "--queue", "forced", "--force"], { env });
      expect(forced.code, forced.stderr).toBe(1);
      const summary = JSON.parse(forced.stdout);
      const status = Object.fromEntries(
        summary.jobs.map((job: { id: string; status: string }) => [job.id, job.status]),
      );
      expect(status).toEqual({ good: "downloaded", short: "failed" });
      // Rows are named by manifest line, as in the local batch's summary (the header is line 1).
      const line = Object.fromEntries(summary.jobs.map((job: { id: string; line: number }) => [job.id, job.line]));
      expect(line).toEqual({ good: 2, short: 3 });
      expect(stack.emulator.stats().createsAccepted).toBe(2);

      // --no-check: the same rows (new ids) go to the queue without a pre-check; the API fails the short one.
      const other = await catalogue("-2");
      const unchecked = await runCli(
        [
          "batch",
          join(other, "jobs.csv"),
          "--redis",
          stack.redis.url,
          "--json",
          "--out-dir",
          join(other, "out"),
          "--queue",
          "forced",
          "--no-check",
        ],
        { env },
      );
      expect(unchecked.code, unchecked.stderr).toBe(1);
      const second = JSON.parse(unchecked.stdout);
      expect(second.totals).toMatchObject({ jobs: 2, downloaded: 1, failed: 1 });
      expect(stack.emulator.stats().createsAccepted).toBe(4);
    } finally {
      worker.child.kill("SIGTERM");
      expect((await worker.done).code).toBe(0);
    }
  });
});
