import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type JsonChild, spawnJsonChild } from "../support/child.js";
import { makeJobs, tempDir } from "../support/fixtures.js";
import { type Services, startServices } from "../support/services.js";

describe("a 429 storm across 3 worker processes", () => {
  let services: Services;
  const dir = tempDir();
  const children: JsonChild[] = [];
  const queueName = "storm";

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

  it("routes every 429 through the queue's shared limiter, and still finishes with one task per job", async () => {
    const workers = [0, 1, 2].map(() => {
      const child = spawnJsonChild("worker-process.mjs", {
        redis: services.redis.url,
        baseUrl: services.emulator.url,
        queueName,
        minPollIntervalMs: 50,
        maxPollIntervalMs: 500,
      });
      children.push(child);
      return child;
    });
    await Promise.all(workers.map((worker) => worker.next((event) => event.type === "ready")));
    const { jobs } = makeJobs(dir.path, 20);
    const coordinator = spawnJsonChild("coordinator-process.mjs", {
      redis: services.redis.url,
      baseUrl: services.emulator.url,
      queueName,
      outDir: join(dir.path, "out"),
      jobs,
    });
    children.push(coordinator);
    const { summary } = (await coordinator.next((event) => event.type === "summary")) as {
      summary: { totals: Record<string, number> };
    };
    for (const worker of workers) worker.process.kill("SIGTERM");
    await Promise.all(workers.map((worker) => worker.next((event) => event.type === "closed")));

    expect(summary.totals).toMatchObject({ jobs: 20, downloaded: 20, failed: 0, unfinished: 0 });
    const stats = services.emulator.stats();
    expect(stats.createsAccepted).toBe(20);
    expect(new Set(stats.tasks.map((task) => task.videoUrl)).size).toBe(20);
    expect(stats.createsRateLimited).toBeGreaterThan(0);
    // No worker retried a 429 on its own: each one paused the whole queue (BullMQ's limiter,
    // `queue.rateLimit(Retry-After)`) and put its job back.
    const limited = workers.flatMap((worker) => worker.events.filter((event) => event.type === "rate-limited"));
    expect(limited).toHaveLength(stats.createsRateLimited);
    for (const event of limited) expect(event).toMatchObject({ delayMs: expect.any(Number), queuePaused: true });
    for (const event of limited) expect(event.delayMs).toBeGreaterThan(0);
  });
});
