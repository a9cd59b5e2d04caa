import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLipSyncProducer, createLipSyncWorker, type LipSyncWorker } from "../../src/index.js";
import { type Services, startServices } from "../support/services.js";

const JOBS = 600;

describe("one worker process waiting on hundreds of tasks at once", () => {
  let services: Services;
  let worker: LipSyncWorker;
  const queueName = "many";

  beforeAll(async () => {
    // Tasks take 6–12 s here: every job is created (and waiting) long before the first finishes.
    services = await startServices({ speed: 5 });
    worker = await createLipSyncWorker({
      client: services.client,
      redis: services.redis.url,
      queueName,
      concurrency: JOBS,
      minPollIntervalMs: 200,
      maxPollIntervalMs: 2_000,
    });
  });
  afterAll(async () => {
    await worker?.close();
    await services?.close();
  });

  it(`holds ${JOBS} jobs in flight, reads them only in batches, and creates exactly one task each`, async () => {
    const producer = createLipSyncProducer({ redis: services.redis.url, queueName });
    const samples = `${services.emulator.url}/samples`;
    const { added } = await producer.enqueue(
      Array.from({ length: JOBS }, (_, index) => ({
        job: { id: `job-${index}`, video: `${samples}/speaker.mp4?job=${index}`, audio: `${samples}/speech.wav` },
      })),
    );
    await producer.close();
    expect(added).toHaveLength(JOBS);

    const queue = new Queue(queueName, { connection: { host: "127.0.0.1", port: services.redis.port } });
    try {
      let peakActive = 0;
      await expect
        .poll(
          async () => {
            const counts = await queue.getJobCounts("active", "completed");
            peakActive = Math.max(peakActive, counts.active ?? 0);
            return counts.completed;
          },
          { timeout: 110_000, interval: 200 },
        )
        .toBe(JOBS);
      expect(peakActive).toBeGreaterThanOrEqual(500);
    } finally {
      await queue.close();
    }
    const stats = services.emulator.stats();
    expect(stats.createsAccepted).toBe(JOBS);
    expect(new Set(stats.tasks.map((task) => task.videoUrl)).size).toBe(JOBS);
    // Waiting cost batch reads of up to 50 ids, never one GET per task.
    expect(stats.taskReads).toBe(0);
    expect(stats.batchReads).toBeGreaterThan(0);
    expect(worker.reads).toBe(stats.batchReads);
  });
});
