import { FakeClock } from "@videoretalk/test-support";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLipSyncProducer, createLipSyncWorker, type LipSyncWorker } from "../../src/index.js";
import { type Services, startServices } from "../support/services.js";

const JOBS = 600;

describe("one worker process waiting on hundreds of tasks at once", () => {
  let services: Services;
  let worker: LipSyncWorker;
  const queueName = "many";
  // The emulator's time stands still until every job is created and waiting, however slow the
  // machine; then it jumps past every task's end.
  const emulatorClock = new FakeClock();

  beforeAll(async () => {
    services = await startServices({ clock: emulatorClock });
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
      await expect
        .poll(() => services.emulator.stats().createsAccepted, { timeout: 110_000, interval: 100 })
        .toBe(JOBS);
      // Every job is held at once by this one process, each waiting on its running task.
      expect((await queue.getJobCounts("active")).active).toBe(JOBS);
      // Read while they run (the emulator's clock stands still): the first look comes up to 2 s
      // after a create, which can be after the last create on a fast run.
      await expect.poll(() => services.emulator.stats().batchReads, { timeout: 30_000 }).toBeGreaterThan(0);
      await emulatorClock.advance(60_000);
      await expect
        .poll(async () => (await queue.getJobCounts("completed")).completed, { timeout: 110_000, interval: 200 })
        .toBe(JOBS);
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
