import { setMaxListeners } from "node:events";
import { join, resolve } from "node:path";
import { systemClock, ValidationError } from "@videoretalk/core";
import type { JobSnapshot } from "../job-model/checkpoints.js";
import { type BatchJob, inputFingerprint } from "../job-model/job.js";
import { inputsChanged, type NextStep, nextStep } from "../job-model/next-step.js";
import { emptySnapshot, snapshotsFrom } from "../job-model/snapshot.js";
import type { CheckpointStore } from "../job-model/store.js";
import { DEFAULT_JOURNAL_NAME, openJournal } from "../journal/jsonl-journal.js";
import { outputPathFor } from "../safe-file-name.js";
import { Budget } from "./budget.js";
import { type RunContext, record } from "./context.js";
import { checkCredits } from "./credit-check.js";
import { RateControl, Semaphore } from "./rate-control.js";
import { finishJob, outcome, startJob, verifiedOutcome } from "./run-job.js";
import { removeStaleParts } from "./save-result.js";
import { summarize } from "./summary.js";
import { TaskPoller } from "./task-poller.js";
import type { BatchClient, BatchSummary, JobOutcome, RunBatchOptions } from "./types.js";

/** Default of `RunBatchOptions.concurrency`. */
export const DEFAULT_CONCURRENCY = 16;

/** The manifest changed under a journal: a job id now names different inputs. */
export class JobInputsChangedError extends Error {
  override name = "JobInputsChangedError";
  constructor(readonly jobIds: string[]) {
    super(
      `The inputs of ${jobIds.length === 1 ? "job" : "jobs"} ${jobIds.map((id) => `"${id}"`).join(", ")} changed since the journal recorded ${jobIds.length === 1 ? "it" : "them"}: give changed rows a new id, or use a new --out-dir / --journal.`,
    );
  }
}

function checkOptions(jobs: BatchJob[], options: RunBatchOptions): number {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new ValidationError("concurrency", `concurrency must be a positive integer, got ${concurrency}`);
  if (options.maxCredits !== undefined && !(options.maxCredits >= 0))
    throw new ValidationError("maxCredits", `maxCredits must be a number ≥ 0, got ${options.maxCredits}`);
  const ids = new Set<string>();
  for (const job of jobs) {
    if (ids.has(job.id)) throw new ValidationError("id", `duplicate job id "${job.id}"`);
    ids.add(job.id);
  }
  return concurrency;
}

/** Opens the journal when given a path (or none); a store passed in stays the caller's to close. */
async function openStore(options: RunBatchOptions): Promise<{ store: CheckpointStore; owned: boolean }> {
  if (options.journal !== undefined && typeof options.journal !== "string")
    return { store: options.journal, owned: false };
  const path = options.journal ?? join(options.outDir, DEFAULT_JOURNAL_NAME);
  return { store: await openJournal(resolve(path)), owned: true };
}

/** Mirrors the caller's signal into the run's own, which also stops the run when the store fails. */
function linkSignal(signal: AbortSignal | undefined): AbortController {
  const controller = new AbortController();
  // Every request of every job listens on this signal; that many listeners is expected here.
  setMaxListeners(0, controller.signal);
  if (signal?.aborted) controller.abort(signal.reason);
  else signal?.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
  return controller;
}

/**
 * Runs a batch of lip-sync jobs to the end, resuming whatever an earlier run with the same
 * journal left: each job is uploaded, created (with a key derived from the job, written to the
 * journal before the POST), waited for with batch reads, and its result downloaded and
 * checksummed at once. Every step is fsynced before the next starts, so a crash at any instant
 * (even `kill -9`) resumes without a second task or a lost result.
 *
 * @example
 * ```ts
 * import { createVideoRetalk } from "@videoretalk/core";
 * import { readManifest, runBatch } from "@videoretalk/batch";
 *
 * const client = createVideoRetalk();
 * const jobs = await readManifest("./catalogue.csv", { outDir: "./dubbed" });
 * const summary = await runBatch(client, jobs, { outDir: "./dubbed", maxCredits: 50_000 });
 * console.log(summary.totals); // { jobs, downloaded, failed, skipped, unfinished, … }
 * ```
 * @throws {JobInputsChangedError} when the journal knew a job id with other inputs.
 * @throws {InsufficientBalanceError} when `GET /v1/credits` is clearly below the estimate (unless `force`).
 * @throws the store's error when a checkpoint cannot be written (the run stops at once).
 */
export async function runBatch(client: BatchClient, jobs: BatchJob[], options: RunBatchOptions): Promise<BatchSummary> {
  const concurrency = checkOptions(jobs, options);
  const { store, owned } = await openStore(options);
  const stop = linkSignal(options.signal);
  try {
    return await runWithStore(client, jobs, options, store, stop, concurrency);
  } finally {
    if (owned) await store.close();
  }
}

async function runWithStore(
  client: BatchClient,
  jobs: BatchJob[],
  options: RunBatchOptions,
  store: CheckpointStore,
  stop: AbortController,
  concurrency: number,
): Promise<BatchSummary> {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const snapshots = snapshotsFrom(await store.load());
  const changed = jobs.filter((job) => inputsChanged(job, snapshots.get(job.id))).map((job) => job.id);
  if (changed.length > 0) throw new JobInputsChangedError(changed);

  const emit = options.onEvent ?? (() => {});
  const budget = new Budget(options.maxCredits, options.creditsPerJobEstimate);
  const ctx: RunContext = {
    client,
    store,
    outDir: resolve(options.outDir),
    clock,
    random,
    signal: stop.signal,
    rate: new RateControl(concurrency, clock, random),
    budget,
    poller: new TaskPoller({
      client,
      clock,
      random,
      minIntervalMs: options.minPollIntervalMs ?? 1_000,
      maxIntervalMs: options.maxPollIntervalMs ?? 60_000,
      maxReadFailures: options.maxReadFailures ?? 10,
      signal: stop.signal,
      onEvent: emit,
    }),
    downloads: new Semaphore(options.downloadConcurrency ?? 4),
    uploads: new Map(),
    emit,
    stats: { createCalls: 0, rateLimited: 0 },
    retryFailed: options.retryFailed === true,
    maxCreateRetries: options.maxCreateRetries ?? 6,
    allowPrivateNetwork: options.allowPrivateNetwork,
    fetch: options.fetch,
  };

  // A run killed mid-download leaves temp files; this run holds the journal, so they are stale.
  if (typeof options.journal !== "object") await removeStaleParts(jobs.map((job) => outputPathFor(job, ctx.outDir)));
  const plan = await planJobs(ctx, jobs, snapshots);
  const toStart = plan.filter((entry) => entry.step.kind === "upload" || entry.step.kind === "create");
  if (!options.force) {
    const budgetLeft = options.maxCredits === undefined ? undefined : options.maxCredits - budget.reservedCredits;
    await checkCredits(client, { jobsToCreate: toStart.length, perJob: budget.estimate(), budgetLeft }, stop.signal);
  }

  const outcomes = new Map<string, Promise<JobOutcome>>();
  let storeError: unknown;
  const guard = (work: Promise<JobOutcome>, job: BatchJob) =>
    work.catch((error: unknown) => {
      // Only the store throws this far (every job error becomes an outcome): stop everything.
      storeError ??= error;
      stop.abort(error);
      return outcome(job, "unfinished");
    });

  for (const { job, snapshot, step } of plan) {
    if (step.kind === "wait") {
      ctx.rate.addRunning();
      outcomes.set(job.id, guard(resumeWait(ctx, job, snapshot, step.taskId), job));
    } else if (step.kind === "failed") {
      outcomes.set(job.id, Promise.resolve(outcome(job, "failed", { task_id: step.taskId, error: step.error })));
    } else if (step.kind === "verify") {
      outcomes.set(job.id, Promise.resolve(outcome(job, "downloaded", { task_id: step.taskId, output: step.output })));
    }
  }
  await startAll(ctx, toStart, outcomes, guard);
  const settled = await Promise.all(jobs.map((job) => outcomes.get(job.id) as Promise<JobOutcome>));
  if (storeError !== undefined) throw storeError;
  return summarize(settled, ctx, options.signal?.aborted === true);
}

interface PlannedJob {
  job: BatchJob;
  snapshot: JobSnapshot;
  step: NextStep;
}

/**
 * Each job's next step from the journal; records `planned` for jobs the journal has not seen.
 * A downloaded job whose file no longer checks out goes back to waiting on its task.
 */
async function planJobs(ctx: RunContext, jobs: BatchJob[], snapshots: Map<string, JobSnapshot>): Promise<PlannedJob[]> {
  const fresh = jobs.filter((job) => snapshots.get(job.id)?.fingerprint === undefined);
  await Promise.all(
    fresh.map((job) => record(ctx, { job: job.id, step: "planned", fingerprint: inputFingerprint(job) })),
  );
  const plan: PlannedJob[] = [];
  for (const job of jobs) {
    const snapshot = snapshots.get(job.id) ?? emptySnapshot(job.id);
    let step = nextStep(job, snapshot, { now: ctx.clock.now(), retryFailed: ctx.retryFailed });
    if (snapshot.creditsReserved !== undefined && step.kind !== "create" && step.kind !== "upload")
      ctx.budget.addReserved(snapshot.creditsReserved);
    if (step.kind === "verify") {
      const verified = await verifiedOutcome(job, step);
      if (verified) ctx.emit({ type: "job", job: job.id, state: "downloaded", taskId: step.taskId, resumed: true });
      else step = { kind: "wait", taskId: step.taskId };
    } else if (step.kind === "failed") {
      ctx.emit({ type: "job", job: job.id, state: step.status, taskId: step.taskId, error: step.error, resumed: true });
    } else if (step.kind === "wait") {
      ctx.emit({ type: "job", job: job.id, state: snapshot.state, taskId: step.taskId, resumed: true });
    }
    plan.push({ job, snapshot, step });
  }
  return plan;
}

/** A job whose task an earlier run created: wait for it; never create again. */
function resumeWait(ctx: RunContext, job: BatchJob, _snapshot: JobSnapshot, taskId: string): Promise<JobOutcome> {
  return finishJob(
    ctx,
    job,
    taskId,
    undefined,
    once(() => ctx.rate.releaseSlot()),
  );
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      fn();
    }
  };
}

/**
 * Starts jobs in manifest order as slots free up (the AIMD window) and the budget admits them.
 * Once the run stops, jobs not started are `unfinished`; once the budget says no, `skipped`.
 */
async function startAll(
  ctx: RunContext,
  toStart: PlannedJob[],
  outcomes: Map<string, Promise<JobOutcome>>,
  guard: (work: Promise<JobOutcome>, job: BatchJob) => Promise<JobOutcome>,
): Promise<void> {
  for (const { job, snapshot, step } of toStart) {
    if (ctx.signal.aborted) {
      outcomes.set(job.id, Promise.resolve(outcome(job, "unfinished")));
      continue;
    }
    try {
      await ctx.rate.acquireSlot(ctx.signal);
      if (!(await ctx.budget.admit(ctx.signal))) {
        ctx.rate.releaseSlot();
        ctx.emit({ type: "job", job: job.id, state: "skipped" });
        outcomes.set(job.id, Promise.resolve(outcome(job, "skipped", { reason: "budget" })));
        continue;
      }
    } catch {
      outcomes.set(job.id, Promise.resolve(outcome(job, "unfinished")));
      continue;
    }
    const release = once(() => ctx.rate.releaseSlot());
    const work = startJob(ctx, job, snapshot, step as Extract<NextStep, { kind: "upload" | "create" }>).then(
      (started) => {
        if ("outcome" in started) {
          release();
          return started.outcome;
        }
        return finishJob(ctx, job, started.task.id, started.task, release);
      },
    );
    outcomes.set(job.id, guard(work.finally(release), job));
  }
}
