import { FakeClock } from "@videoretalk/test-support";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLipSyncProducer, createLipSyncWorker, type LipSyncWorker, type WorkerEvent } from "../../src/index.js";
import { type Services, startServices } from "../support/services.js";

describe("a worker asked to stop", () => {
  let services: Services;
  const workers: LipSyncWorker[] = [];
  const queueName = "shutdown";
  // The emulator's time: it stands still until the test moves it, so the tasks are still
  // running when the first worker stops, however slow the machine (no race against real time).
  const emulatorClock = new FakeClock();

  beforeAll(async () => {
    services = await startServices({ clock: emulatorClock });
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await services?.close();
  });

  async function startWorker(events: WorkerEvent[]): Promise<LipSyncWorker> {
    const worker = await createLipSyncWorker({
      client: services.client,
      redis: services.redis.url,
      queueName,
      minPollIntervalMs: 50,
      maxPollIntervalMs: 1_000,
      onEvent: (event) => events.push(event),
    });
    workers.push(worker);
    return worker;
  }

  it("checkpoints its waiting jobs and hands them back; the next worker resumes the same tasks", async () => {
    const first: WorkerEvent[] = [];
    const worker = await startWorker(first);
    const producer = createLipSyncProducer({ redis: services.redis.url, queueName });
    const ids = ["a", "b", "c"];
    const samples = `${services.emulator.url}/samples`;
    await producer.enqueue(
      ids.map((id) => ({ job: { id, video: `${samples}/speaker.mp4?job=${id}`, audio: `${samples}/speech.wav` } })),
    );
    await producer.close();
    await expect.poll(() => first.filter((event) => event.type === "created").length, { timeout: 30_000 }).toBe(3);

    await worker.close();
    // (A job fetched while the worker was closing is handed back too, so ids may repeat.)
    const released = new Set(first.filter((event) => event.type === "released").map((event) => event.jobId));
    expect([...released].sort()).toEqual(ids);
    const queue = new Queue(queueName, { connection: { host: "127.0.0.1", port: services.redis.port } });
    try {
      for (const id of ids) expect(["waiting", "delayed"]).toContain(await queue.getJobState(id));

      const second: WorkerEvent[] = [];
      await startWorker(second);
      const resumedJobs = () => new Set(second.flatMap((event) => (event.type === "resumed" ? [event.jobId] : [])));
      await expect.poll(() => resumedJobs().size, { timeout: 30_000 }).toBe(3);
      // Nothing finished meanwhile: the emulator's clock has not moved. The tasks (30–60
      // emulated s at speed 200) finish once their time has passed.
      expect((await queue.getJobCounts("completed")).completed).toBe(0);
      await emulatorClock.advance(60_000);
      await expect.poll(async () => (await queue.getJobCounts("completed")).completed, { timeout: 60_000 }).toBe(3);
      const created = new Map(
        first.flatMap((event) => (event.type === "created" ? [[event.jobId, event.taskId]] : [])),
      );
      const resumed = second.filter((event) => event.type === "resumed");
      expect(new Map(resumed.map((event) => [event.jobId, (event as { taskId: string }).taskId]))).toEqual(created);
      expect(second.some((event) => event.type === "created")).toBe(false);
      expect(services.emulator.stats().createsAccepted).toBe(3);
    } finally {
      await queue.close();
    }
  });
});
