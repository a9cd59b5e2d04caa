import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type BatchEvent, exitCodeOf, InsufficientBalanceError, runBatch } from "../src/index.js";
import { clientFor, emulatorPerTest, emulatorWith, FAST_POLL, mismatchedOutputs, sampleJobs } from "./support/setup.js";

const setup = emulatorPerTest();

/** Credits the emulator reserves for one sample job (measured, not assumed). */
async function creditsPerSampleJob(dir: string): Promise<number> {
  const probe = await emulatorWith();
  try {
    const summary = await runBatch(clientFor(probe), sampleJobs(probe, 1), {
      outDir: join(dir, "probe"),
      ...FAST_POLL,
      allowPrivateNetwork: true,
    });
    return summary.totals.creditsReserved;
  } finally {
    await probe.close();
  }
}

describe("rate limits", () => {
  it("a 429 storm slows the whole batch, shrinks its concurrency, and fails no job", async () => {
    const { emulator, dir } = await setup({ rateLimit: { createsPerSecond: 2, maxRunningTasks: 3 } });
    const jobs = sampleJobs(emulator, 20);
    const events: BatchEvent[] = [];
    const summary = await runBatch(clientFor(emulator), jobs, {
      outDir: join(dir, "out"),
      concurrency: 12,
      ...FAST_POLL,
      allowPrivateNetwork: true,
      onEvent: (event) => events.push(event),
    });
    expect(summary.totals).toMatchObject({ downloaded: 20, failed: 0, unfinished: 0 });
    const stats = emulator.stats();
    expect(stats.createsRateLimited).toBeGreaterThan(0);
    expect(summary.totals.rateLimited).toBe(stats.createsRateLimited);
    // Every 429 was seen by the batch as a rate-limit event (and none became a job failure).
    expect(events.filter((e) => e.type === "rate-limited")).toHaveLength(stats.createsRateLimited);
    expect(stats.tasks).toHaveLength(20);
    expect(new Set(stats.tasks.map((t) => t.idempotencyKey)).size).toBe(20);
    expect(await mismatchedOutputs(emulator, summary)).toEqual([]);
  });
});

describe("budget", () => {
  it("--max-credits starts no create that could go over it; the rest are skipped: budget (exit 3)", async () => {
    const { emulator, dir } = await setup();
    const perJob = await creditsPerSampleJob(dir);
    expect(perJob).toBeGreaterThan(0);
    const summary = await runBatch(clientFor(emulator), sampleJobs(emulator, 6), {
      outDir: join(dir, "out"),
      maxCredits: perJob * 2.5,
      ...FAST_POLL,
      allowPrivateNetwork: true,
    });
    expect(summary.totals).toMatchObject({ downloaded: 2, skipped: 4, failed: 0 });
    expect(summary.totals.creditsReserved).toBeLessThanOrEqual(perJob * 2.5);
    expect(summary.jobs.filter((j) => j.status === "skipped").every((j) => j.reason === "budget")).toBe(true);
    expect(emulator.stats().tasks).toHaveLength(2);
    expect(exitCodeOf(summary)).toBe(3);
  });

  it("an account that runs out (402) skips the jobs not started instead of failing them", async () => {
    const { dir } = await setup();
    const perJob = await creditsPerSampleJob(dir);
    const emulator = await emulatorWith({ credits: perJob * 2.5 });
    try {
      const summary = await runBatch(clientFor(emulator), sampleJobs(emulator, 6), {
        outDir: join(dir, "out"),
        ...FAST_POLL,
        allowPrivateNetwork: true,
      });
      expect(summary.totals).toMatchObject({ downloaded: 2, skipped: 4, failed: 0 });
      expect(emulator.stats().createsInsufficientCredits).toBeGreaterThan(0);
    } finally {
      await emulator.close();
    }
  });

  it("refuses to start when GET /v1/credits is clearly below the estimate, unless forced", async () => {
    const { emulator, dir } = await setup({ credits: 10 });
    const jobs = sampleJobs(emulator, 5);
    const options = { outDir: join(dir, "out"), creditsPerJobEstimate: 100, ...FAST_POLL, allowPrivateNetwork: true };
    await expect(runBatch(clientFor(emulator), jobs, options)).rejects.toBeInstanceOf(InsufficientBalanceError);
    expect(emulator.stats().tasks).toHaveLength(0);
    const forced = await runBatch(clientFor(emulator), jobs, { ...options, force: true });
    expect(forced.totals.skipped).toBe(5);
  });
});

describe("batch reads", () => {
  it("reads at most 50 ids per request, and falls back to single reads once on 405", async () => {
    const { emulator, dir } = await setup();
    const idsPerRead: number[] = [];
    const spy: typeof fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.endsWith("/v1/tasks/batch")) idsPerRead.push(JSON.parse(String(init?.body)).task_ids.length);
      return fetch(input, init);
    };
    const many = await runBatch(clientFor(emulator, { fetch: spy }), sampleJobs(emulator, 120), {
      outDir: join(dir, "many"),
      concurrency: 120,
      ...FAST_POLL,
      allowPrivateNetwork: true,
    });
    expect(many.totals.downloaded).toBe(120);
    expect(Math.max(...idsPerRead)).toBeLessThanOrEqual(50);
    expect(emulator.stats().taskReads).toBe(0);

    const events: BatchEvent[] = [];
    let refused = 0;
    const noBatch: typeof fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.endsWith("/v1/tasks/batch")) {
        refused++;
        return new Response(
          JSON.stringify({ error: { code: "method_not_allowed", message: "no", type: "invalid_request_error" } }),
          {
            status: 405,
            headers: { "content-type": "application/json" },
          },
        );
      }
      return fetch(input, init);
    };
    const single = await runBatch(clientFor(emulator, { fetch: noBatch }), sampleJobs(emulator, 5), {
      outDir: join(dir, "single"),
      ...FAST_POLL,
      allowPrivateNetwork: true,
      onEvent: (event) => events.push(event),
    });
    expect(single.totals.downloaded).toBe(5);
    expect(refused).toBe(1);
    expect(events.filter((e) => e.type === "batch-reads-unavailable")).toEqual([
      { type: "batch-reads-unavailable", status: 405 },
    ]);
    expect(emulator.stats().taskReads).toBeGreaterThanOrEqual(5);
  });
});
