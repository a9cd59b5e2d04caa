import type { BatchJob, BatchSummary } from "@videoretalk/batch";
import { Queue } from "bullmq";
import { afterAll, beforeAll } from "vitest";
import { createLipSyncWorker, type LipSyncWorker, type QueuedBatchOptions, runQueuedBatch } from "../../src/index.js";
import { tempDir } from "./fixtures.js";
import { type Services, startServices } from "./services.js";

/** The set-up of a scenario file: services, one in-process worker on `queueName`, a temp folder. */
export interface InProcessQueue {
  readonly services: Services;
  readonly worker: LipSyncWorker;
  readonly queueName: string;
  /** The temporary folder, removed after the file's tests. */
  readonly dir: string;
  /** `runQueuedBatch` on this queue and emulator, results under `outDir`. */
  run(
    jobs: BatchJob[],
    outDir: string,
    options?: Partial<Omit<QueuedBatchOptions, "redis" | "queueName" | "outDir">>,
  ): Promise<BatchSummary>;
  /** A BullMQ queue handle for inspecting jobs; closed by `body`'s end. */
  withQueue<T>(body: (queue: Queue) => Promise<T>): Promise<T>;
}

/**
 * Registers `beforeAll`/`afterAll` for a real redis-server, the emulator and one in-process
 * worker polling fast (20–300 ms), and returns the handle the tests use once they run.
 */
export function inProcessQueue(queueName: string): InProcessQueue {
  let services: Services | undefined;
  let worker: LipSyncWorker | undefined;
  const dir = tempDir();
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("inProcessQueue: used before its beforeAll ran");
    return value;
  };

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

  return {
    get services() {
      return ready(services);
    },
    get worker() {
      return ready(worker);
    },
    queueName,
    dir: dir.path,
    run(jobs, outDir, options = {}) {
      const { client, redis } = ready(services);
      return runQueuedBatch(client, jobs, {
        redis: redis.url,
        queueName,
        outDir,
        allowPrivateNetwork: true,
        ...options,
      });
    },
    async withQueue(body) {
      const queue = new Queue(queueName, { connection: { host: "127.0.0.1", port: ready(services).redis.port } });
      try {
        return await body(queue);
      } finally {
        await queue.close();
      }
    },
  };
}
