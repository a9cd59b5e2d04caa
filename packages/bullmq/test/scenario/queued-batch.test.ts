import { readFileSync } from "node:fs";
import { join } from "node:path";
import { jobIdempotencyKey } from "@videoretalk/batch";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLipSyncWorker, isLipSyncJobData, type LipSyncWorker, runQueuedBatch } from "../../src/index.js";
import { makeJobs, tempDir } from "../support/fixtures.js";
import { type Services, startServices } from "../support/services.js";

describe("a batch through BullMQ and a real Redis (one in-process worker)", () => {
  let services: Services;
  let worker: LipSyncWorker;
  const dir = tempDir();
  const queueName = "slice";

  beforeAll(async () => {
    services = await startServices();
    worker = await createLipSyncWorker({
      client: services.client,
      redis: services.redis.url,
      queueName,
      minPollIntervalMs: 20,
      maxPollIntervalMs: 300,
    });
  });
  afterAll(async () => {
    await worker?.close();
    await services?.close();
    dir.remove();
  });

  it("creates one task per job, checkpoints in the job data, downloads every result byte for byte, and a re-run does nothing", async () => {
    const { jobs, videos } = makeJobs(dir.path, 6);
    const outDir = join(dir.path, "out");
    const summary = await runQueuedBatch(services.client, jobs, {
      redis: services.redis.url,
      queueName,
      outDir,
      allowPrivateNetwork: true,
    });

    expect(summary.totals).toMatchObject({ jobs: 6, downloaded: 6, failed: 0, unfinished: 0 });
    for (const outcome of summary.jobs) {
      expect(readFileSync(outcome.output?.path as string).equals(videos.get(outcome.id) as Buffer)).toBe(true);
    }
    const stats = services.emulator.stats();
    expect(stats.tasks).toHaveLength(6);
    // Every task was created with the batch's derived key: the same key any retry would send.
    expect(new Set(stats.tasks.map((task) => task.idempotencyKey))).toEqual(
      new Set(jobs.map((job) => jobIdempotencyKey(job))),
    );

    // The job data holds the batch's checkpoints: the key before the task id.
    const queue = new Queue(queueName, { connection: { host: "127.0.0.1", port: services.redis.port } });
    try {
      const job = await queue.getJob(jobs[0]?.id as string);
      expect(isLipSyncJobData(job?.data)).toBe(true);
      const steps = job?.data.checkpoints.map((checkpoint: { step: string }) => checkpoint.step);
      expect(steps).toEqual(["planned", "uploaded", "creating", "created", "terminal"]);
    } finally {
      await queue.close();
    }

    const events: string[] = [];
    const again = await runQueuedBatch(services.client, jobs, {
      redis: services.redis.url,
      queueName,
      outDir,
      allowPrivateNetwork: true,
      onEvent: (event) => {
        if (event.type === "job") events.push(`${event.job}:${event.state}`);
      },
    });
    expect(again.totals.downloaded).toBe(6);
    expect(events.every((event) => event.endsWith(":downloaded"))).toBe(true);
    expect(services.emulator.stats().createsAccepted).toBe(6);
  });
});
