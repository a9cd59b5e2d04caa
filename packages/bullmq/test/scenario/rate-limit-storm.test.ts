import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type JsonChild, spawnJsonChild } from "../support/child.js";
import { makeJobs, tempDir } from "../support/fixtures.js";
import { type Services, startServices } from "../support/services.js";

type Event = { type: string; delayMs?: number; queuePaused?: boolean };

describe("a 429 storm across 3 worker processes", () => {
  let services: Services;
  const dir = tempDir();
  const children: JsonChild[] = [];

  beforeAll(async () => {
    // 1 create per emulated second at speed 20: 20 real creates per second, bursts of 1, while
    // three workers send up to 8 creates each at once.
    services = await startServices({ speed: 20, rateLimit: { createsPerSecond: 1 } });
  });
  afterAll(async () => {
    for (const child of children) child.process.kill("SIGKILL");
    await Promise.all(children.map((child) => child.exited));
    await services?.close();
    dir.remove();
  });

  /** Runs `jobCount` jobs on their own queue through 3 workers; resolves to each worker's rate-limited events. */
  async function storm(queueName: string, jobCount: number, workerOptions: Record<string, unknown> = {}) {
    const before = services.emulator.stats();
    const workers = [0, 1, 2].map(() => {
      const child = spawnJsonChild("worker-process.mjs", {
        redis: services.redis.url,
        baseUrl: services.emulator.url,
        queueName,
        minPollIntervalMs: 50,
        maxPollIntervalMs: 500,
        ...workerOptions,
      });
      children.push(child);
      return child;
    });
    await Promise.all(workers.map((worker) => worker.next((event) => event.type === "ready")));
    mkdirSync(join(dir.path, queueName), { recursive: true });
    const { jobs } = makeJobs(join(dir.path, queueName), jobCount);
    const coordinator = spawnJsonChild("coordinator-process.mjs", {
      redis: services.redis.url,
      baseUrl: services.emulator.url,
      queueName,
      outDir: join(dir.path, queueName, "out"),
      jobs,
    });
    children.push(coordinator);
    const { summary } = (await coordinator.next((event) => event.type === "summary")) as {
      summary: { totals: Record<string, number> };
    };
    for (const worker of workers) worker.process.kill("SIGTERM");
    await Promise.all(workers.map((worker) => worker.next((event) => event.type === "closed")));

    expect(summary.totals).toMatchObject({ jobs: jobCount, downloaded: jobCount, failed: 0, unfinished: 0 });
    const after = services.emulator.stats();
    // One task per job: no create was billed twice.
    expect(after.createsAccepted - before.createsAccepted).toBe(jobCount);
    const tasks = after.tasks.slice(before.tasks.length);
    expect(new Set(tasks.map((task) => task.videoUrl)).size).toBe(jobCount);
    const rateLimited = after.createsRateLimited - before.createsRateLimited;
    expect(rateLimited).toBeGreaterThan(0);
    const limited = workers.map((worker) =>
      (worker.events as Event[]).filter((event) => event.type === "rate-limited"),
    );
    expect(limited.flat()).toHaveLength(rateLimited);
    for (const event of limited.flat()) expect(event.delayMs).toBeGreaterThan(0);
    return limited;
  }

  it("routes every 429 through the queue's shared limiter, and still finishes with one task per job", async () => {
    const limited = await storm("storm", 20);
    // No worker retried a 429 on its own: each one paused the whole queue (the shared pause and,
    // for a long one, BullMQ's `queue.rateLimit(Retry-After)`).
    for (const event of limited.flat()) expect(event).toMatchObject({ delayMs: expect.any(Number), queuePaused: true });
  });

  it("with createsPerSecond above the account's real limit, a 429 still pauses every worker (no herd of own-slot retries)", async () => {
    // 60 creates per second configured, 20 real: most creates in flight get a 429. Taking each
    // create's first 429 as stray would retry them all together; only a lone one (no other 429
    // within 1 s, Retry-After ≤ 2 intervals) may be, so at most a couple in the whole storm.
    const limited = await storm("storm-known", 30, { createsPerSecond: 60 });
    const strays = limited.flat().filter((event) => event.queuePaused === false);
    expect(strays.length).toBeLessThanOrEqual(2);
    // Every worker that ran into the limit paused the queue.
    for (const events of limited) {
      if (events.length > 0) expect(events.some((event) => event.queuePaused === true)).toBe(true);
    }
  });
});
