import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type JsonChild, spawnJsonChild } from "../support/child.js";
import { makeJobs, tempDir } from "../support/fixtures.js";
import { type Services, startServices } from "../support/services.js";

describe("3 worker processes, one SIGKILLed and restarted, and a coordinator SIGKILLed and re-run", () => {
  let services: Services;
  const dir = tempDir();
  const children: JsonChild[] = [];
  const queueName = "kill";

  beforeAll(async () => {
    // Slow enough that tasks are still running when the kills land (0.6–1.2 s each).
    services = await startServices({ speed: 50 });
  });
  afterAll(async () => {
    for (const child of children) child.process.kill("SIGKILL");
    await Promise.all(children.map((child) => child.exited));
    await services?.close();
    dir.remove();
  });

  function startWorker(): JsonChild {
    const child = spawnJsonChild("worker-process.mjs", {
      redis: services.redis.url,
      baseUrl: services.emulator.url,
      queueName,
      concurrency: 10,
      minPollIntervalMs: 50,
      maxPollIntervalMs: 500,
      // A dead worker's jobs move on after its lock expires; short here, 30 s by default.
      lockDurationMs: 2_000,
      stalledIntervalMs: 1_000,
    });
    children.push(child);
    return child;
  }

  function startCoordinator(jobs: unknown[], outDir: string): JsonChild {
    const child = spawnJsonChild("coordinator-process.mjs", {
      redis: services.redis.url,
      baseUrl: services.emulator.url,
      queueName,
      outDir,
      jobs,
    });
    children.push(child);
    return child;
  }

  it("finishes every job with exactly one task each, and downloads every result byte for byte", async () => {
    const { jobs, videos } = makeJobs(dir.path, 30);
    const outDir = join(dir.path, "out");
    const workers = [startWorker(), startWorker(), startWorker()];
    await Promise.all(workers.map((worker) => worker.next((event) => event.type === "ready")));

    const coordinator = startCoordinator(jobs, outDir);
    // Kill a worker right after it created a task: that job holds a task id and is mid-wait.
    const victim = workers[0] as JsonChild;
    const created = await victim.next((event) => event.type === "created");
    victim.process.kill("SIGKILL");
    await victim.exited;
    startWorker();

    // Kill the coordinator once it has downloaded something, then run it again to the end.
    await coordinator.next((event) => event.type === "job" && event.state === "downloaded");
    coordinator.process.kill("SIGKILL");
    await coordinator.exited;
    const rerun = startCoordinator(jobs, outDir);
    const { summary } = (await rerun.next((event) => event.type === "summary")) as {
      summary: { totals: Record<string, number>; jobs: { id: string; output?: { path: string } }[] };
    };

    expect(summary.totals).toMatchObject({ jobs: 30, downloaded: 30, failed: 0, unfinished: 0 });
    for (const outcome of summary.jobs) {
      expect(readFileSync(outcome.output?.path as string).equals(videos.get(outcome.id) as Buffer)).toBe(true);
    }
    // Exactly one task per job: 30 creates accepted, one per distinct video, one key each.
    const stats = services.emulator.stats();
    expect(stats.createsAccepted).toBe(30);
    expect(new Set(stats.tasks.map((task) => task.videoUrl)).size).toBe(30);
    expect(new Set(stats.tasks.map((task) => task.idempotencyKey)).size).toBe(30);

    // The killed worker's job was finished by another worker on the same task: one `created`
    // checkpoint, and its task id is the one the victim reported.
    const queue = new Queue(queueName, { connection: { host: "127.0.0.1", port: services.redis.port } });
    try {
      const job = await queue.getJob(String(created.jobId));
      const steps = job?.data.checkpoints.filter((checkpoint: { step: string }) => checkpoint.step === "created");
      expect(steps).toHaveLength(1);
      expect(steps[0].taskId).toBe(created.taskId);
      expect(await job?.getState()).toBe("completed");
    } finally {
      await queue.close();
    }
  });
});
