import { join } from "node:path";
import type { BatchJob } from "@videoretalk/batch";
import { jobIdempotencyKey } from "@videoretalk/batch";
import { describe, expect, it } from "vitest";
import { SPEECH } from "../support/fixtures.js";
import { inProcessQueue } from "../support/in-process-queue.js";

describe("dead letters and transient retries", () => {
  const setup = inProcessQueue("dead-letters");

  it("fails 400/402/403 and failed tasks at once, retries a 503 with the same key until it succeeds", async () => {
    const video = (scenario: string) => `${setup.services.emulator.url}/samples/speaker.mp4?scenario=${scenario}`;
    const jobs: BatchJob[] = [
      { id: "bad-request", video: video("status:400"), audio: SPEECH },
      { id: "no-credits", video: video("status:402"), audio: SPEECH },
      { id: "forbidden", video: video("status:403"), audio: SPEECH },
      { id: "task-fails", video: video("fail:content_policy_violation"), audio: SPEECH },
      { id: "flaky", video: video("status:503*2"), audio: SPEECH },
    ];
    const summary = await setup.run(jobs, join(setup.dir, "out"), { attempts: 5, backoffMs: 10 });

    const byId = new Map(summary.jobs.map((job) => [job.id, job]));
    expect(byId.get("flaky")?.status).toBe("downloaded");
    for (const id of ["bad-request", "no-credits", "forbidden", "task-fails"])
      expect(byId.get(id)?.status).toBe("failed");
    expect(byId.get("no-credits")?.error?.code).toMatch(/402|insufficient/i);
    expect(byId.get("task-fails")?.error?.code).toBe("content_policy_violation");

    await setup.withQueue(async (queue) => {
      // Dead letters were tried once; the flaky job three times (two 503s, then the task).
      for (const id of ["bad-request", "no-credits", "forbidden", "task-fails"]) {
        expect((await queue.getJob(id))?.attemptsMade).toBe(1);
      }
      expect((await queue.getJob("flaky"))?.attemptsMade).toBeGreaterThanOrEqual(3);
    });
    // Only the failing task and the flaky job's task exist; the flaky one has the job's own key.
    const tasks = setup.services.emulator.stats().tasks;
    expect(tasks).toHaveLength(2);
    const flaky = tasks.find((task) => task.videoUrl.includes("503"));
    expect(flaky?.idempotencyKey).toBe(jobIdempotencyKey(jobs[4] as BatchJob));
  });
});
