import type { RunContext } from "./context.js";
import type { BatchSummary, JobOutcome } from "./types.js";

/** The run's own counters, next to the outcome totals of a {@link BatchSummary}. */
export type RunCounters = Pick<BatchSummary["totals"], "creditsReserved" | "createCalls" | "taskReads" | "rateLimited">;

/**
 * A summary from the jobs' outcomes and the run's counters: the one shape the local batch and
 * the queued batch (`@videoretalk/bullmq`) report, so the CLI prints both the same way.
 */
export function summaryOf(jobs: JobOutcome[], counters: RunCounters, interrupted: boolean): BatchSummary {
  const count = (status: JobOutcome["status"]) => jobs.filter((job) => job.status === status).length;
  return {
    jobs,
    totals: {
      jobs: jobs.length,
      downloaded: count("downloaded"),
      failed: count("failed"),
      skipped: count("skipped"),
      unfinished: count("unfinished"),
      ...counters,
    },
    interrupted,
  };
}

/** Totals over the jobs' outcomes, plus the run's counters. */
export function summarize(jobs: JobOutcome[], ctx: RunContext, interrupted: boolean): BatchSummary {
  return summaryOf(
    jobs,
    {
      creditsReserved: ctx.budget.reservedCredits,
      createCalls: ctx.stats.createCalls,
      taskReads: ctx.poller.reads,
      rateLimited: ctx.stats.rateLimited,
    },
    interrupted,
  );
}

/**
 * The CLI's exit code for a summary: 130 interrupted; 3 when jobs are unfinished or skipped
 * (running again continues them); 1 when jobs failed; 0 when every result is downloaded.
 */
export function exitCodeOf(summary: BatchSummary): 0 | 1 | 3 | 130 {
  if (summary.interrupted) return 130;
  if (summary.totals.unfinished > 0 || summary.totals.skipped > 0) return 3;
  if (summary.totals.failed > 0) return 1;
  return 0;
}
