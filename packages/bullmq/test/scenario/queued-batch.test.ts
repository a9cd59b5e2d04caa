import { readFileSync } from "node:fs";
import { join } from "node:path";
import { jobIdempotencyKey } from "@videoretalk/batch";
import { describe, expect, it } from "vitest";
import { isLipSyncJobData } from "../../src/index.js";
import { makeJobs } from "../support/fixtures.js";
import { inProcessQueue } from "../support/in-process-queue.js";

describe("a batch through BullMQ and a real Redis (one in-process worker)", () => {
  const setup = inProcessQueue("slice");

  it("creates one task per job, checkpoints in the job data, downloads every result byte for byte, and a re-run does nothing", async () => {
    const { jobs, videos } = makeJobs(setup.dir, 6);
    const outDir = join(setup.dir, "out");
    const summary = await setup.run(jobs, outDir);

    expect(summary.totals).toMatchObject({ jobs: 6, downloaded: 6, failed: 0, unfinished: 0 });
    for (const outcome of summary.jobs) {
      expect(readFileSync(outcome.output?.path as string).equals(videos.get(outcome.id) as Buffer)).toBe(true);
    }
    const stats = setup.services.emulator.stats();
    expect(stats.tasks).toHaveLength(6);
    // Every task was created with the batch's derived key: the same key any retry would send.
    expect(new Set(stats.tasks.map((task) => task.idempotencyKey))).toEqual(
      new Set(jobs.map((job) => jobIdempotencyKey(job))),
    );

    // The job data holds the batch's checkpoints: the key before the task id.
    await setup.withQueue(async (queue) => {
      const job = await queue.getJob(jobs[0]?.id as string);
      expect(isLipSyncJobData(job?.data)).toBe(true);
      const steps = job?.data.checkpoints.map((checkpoint: { step: string }) => checkpoint.step);
      expect(steps).toEqual(["planned", "uploaded", "creating", "created", "terminal"]);
    });

    const events: string[] = [];
    const again = await setup.run(jobs, outDir, {
      onEvent: (event) => {
        if (event.type === "job") events.push(`${event.job}:${event.state}`);
      },
    });
    expect(again.totals.downloaded).toBe(6);
    expect(events.every((event) => event.endsWith(":downloaded"))).toBe(true);
    expect(setup.services.emulator.stats().createsAccepted).toBe(6);
  });
});
