import {
  type BatchJob,
  type CheckpointStore,
  emptySnapshot,
  type JobSnapshot,
  nextStep,
  type RecordedError,
  snapshotsFrom,
} from "@videoretalk/batch";
import { APIError, type CreatedTask, type LipSyncParams, type Task, type VideoRetalkClient } from "@videoretalk/core";
import { DelayedError, type Job, UnrecoverableError } from "bullmq";
import { classifyFailure } from "./classify-failure.js";
import type { CreateGate, RateLimitedRetry } from "./create-gate.js";
import { createParams } from "./create-params.js";
import type { FetchAhead } from "./fetch-ahead.js";
import { isLipSyncJobData, type LipSyncJobData, type LipSyncJobResult } from "./job-data.js";
import { jobDataStore } from "./job-data-store.js";
import type { JobWaiter, WaitOutcome } from "./job-waiter.js";

/** Something a worker did, for logs and progress. */
export type WorkerEvent =
  | { type: "created"; jobId: string; taskId: string; resumed: boolean }
  | { type: "resumed"; jobId: string; taskId: string }
  | {
      type: "rate-limited";
      jobId: string;
      delayMs: number;
      /** True when every worker of the queue paused; false for a stray 429 under a known rate (only this create waits). */
      queuePaused: boolean;
    }
  | {
      type: "completed";
      jobId: string;
      taskId: string;
      /** What ended the wait: a task read (or the create's answer), or a delivered callback. */
      via: "read" | "callback";
    }
  | { type: "dead-letter"; jobId: string; taskId: string | undefined; error: RecordedError }
  | { type: "released"; jobId: string };

/** What one worker process shares between the jobs it runs. */
export interface JobContext {
  client: Pick<VideoRetalkClient, "lipSync" | "tasks">;
  waiter: JobWaiter;
  /** Paces creates: an AIMD window per process and a queue-wide pause after a 429. */
  createGate: CreateGate;
  /** `callback_url` for new tasks, when callbacks are on. */
  callbackUrl: string | undefined;
  /**
   * With callbacks: records that this job waits on the task, so the receiver accepts its
   * deliveries (and no other task's), and forgets it when the job ends.
   */
  expectTask?: ((taskId: string, jobId: string) => Promise<void>) | undefined;
  forgetTask?: ((taskId: string) => Promise<void>) | undefined;
  /** A terminal task a callback already delivered while no one was waiting. */
  lookupDelivered?: ((taskId: string) => Promise<Task | undefined>) | undefined;
  /** Aborts when the worker shuts down: jobs checkpoint, go back to the queue and stop. */
  shutdown: AbortSignal;
  /** Told when a job starts waiting and when it ends, so fetching keeps just ahead of creating. */
  fetchAhead?: FetchAhead | undefined;
  now(): number;
  onEvent?: ((event: WorkerEvent) => void) | undefined;
}

function recordedError(error: unknown): RecordedError {
  if (error instanceof APIError) return { code: String(error.code ?? error.status), message: error.message };
  if (error instanceof Error) return { code: error.name, message: error.message };
  return { code: "unknown", message: String(error) };
}

function taskError(task: Task): RecordedError {
  return { code: String(task.error?.code ?? task.status), message: task.error?.message ?? `task ${task.status}` };
}

/** Puts the job back in the queue at once (another worker may take it) and ends this run of it. */
async function release(job: Job<LipSyncJobData>, token: string | undefined, ctx: JobContext): Promise<never> {
  await job.moveToDelayed(ctx.now(), token);
  ctx.onEvent?.({ type: "released", jobId: String(job.id) });
  throw new DelayedError("worker shutting down; the job was checkpointed and returned to the queue");
}

async function deadLetter(
  store: CheckpointStore,
  batchJob: BatchJob,
  taskId: string | undefined,
  error: RecordedError,
  ctx: JobContext,
  status: "failed" | "cancelled" = "failed",
): Promise<never> {
  await store.append({ job: batchJob.id, at: ctx.now(), step: "terminal", status, error });
  ctx.onEvent?.({ type: "dead-letter", jobId: batchJob.id, taskId, error });
  throw new UnrecoverableError(`${error.code}: ${error.message}`);
}

interface CreateStep {
  idempotencyKey: string;
  attempt: number;
  resumed: boolean;
}

/**
 * Sends the create through the gate until it is answered with something other than 429: a 429
 * pauses every worker (shared pause, and BullMQ's `queue.rateLimit` for a long one) unless it is
 * a stray one under a known rate, and is retried here, with the same key, without using one of
 * the job's attempts.
 */
async function sendCreate(
  job: Job<LipSyncJobData>,
  token: string | undefined,
  store: CheckpointStore,
  params: LipSyncParams,
  idempotencyKey: string,
  ctx: JobContext,
  checkpoint: (() => Promise<void>) | undefined,
): Promise<CreatedTask> {
  const batchJob = job.data.job;
  let prepare = checkpoint;
  let retry: RateLimitedRetry | undefined;
  let earlier429s = 0;
  for (;;) {
    let done: () => void;
    try {
      done = await ctx.createGate.acquire(ctx.shutdown, prepare, retry);
      prepare = undefined;
    } catch (error) {
      if (ctx.shutdown.aborted) return release(job, token, ctx);
      throw error;
    }
    try {
      // No retries inside the call: a 429 must pause every worker, not just this one's loop.
      const created = await ctx.client.lipSync.create(params, { idempotencyKey, maxRetries: 0 });
      ctx.createGate.accepted();
      return created;
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.kind === "dead-letter") return deadLetter(store, batchJob, undefined, recordedError(error), ctx);
      if (failure.kind !== "rate-limited") throw error;
      retry = await ctx.createGate.rateLimited(failure.retryAfterMs, earlier429s++);
      ctx.onEvent?.({ type: "rate-limited", jobId: batchJob.id, delayMs: retry.delayMs, queuePaused: !retry.ownSlot });
    } finally {
      done();
    }
  }
}

/** Writes `creating` (the key) before the POST and `created` (the task id) right after it. */
async function create(
  job: Job<LipSyncJobData>,
  token: string | undefined,
  store: CheckpointStore,
  snapshot: JobSnapshot,
  step: CreateStep,
  ctx: JobContext,
): Promise<CreatedTask> {
  const batchJob = job.data.job;
  let params: LipSyncParams;
  try {
    params = createParams(batchJob, snapshot.urls, ctx.callbackUrl);
  } catch (error) {
    return deadLetter(store, batchJob, undefined, recordedError(error), ctx);
  }
  // Written before the POST (while the create waits for its slot), so a worker killed mid-POST
  // leaves the key for whoever resumes the job.
  const checkpoint = step.resumed
    ? undefined
    : () =>
        store.append({
          job: batchJob.id,
          at: ctx.now(),
          step: "creating",
          idempotencyKey: step.idempotencyKey,
          attempt: step.attempt,
        });
  const created = await sendCreate(job, token, store, params, step.idempotencyKey, ctx, checkpoint);
  // Both at once: the task may finish (and be delivered) before either is written.
  await Promise.all([
    ctx.expectTask?.(created.id, batchJob.id),
    store.append({
      job: batchJob.id,
      at: ctx.now(),
      step: "created",
      taskId: created.id,
      creditsReserved: created.usage?.credits_reserved,
    }),
  ]);
  ctx.onEvent?.({ type: "created", jobId: batchJob.id, taskId: created.id, resumed: step.resumed });
  return created;
}

/** Waits for the task with the process's shared reader (and callbacks, when on). */
async function waitFor(
  job: Job<LipSyncJobData>,
  token: string | undefined,
  taskId: string,
  seen: CreatedTask | undefined,
  ctx: JobContext,
): Promise<WaitOutcome> {
  const pending = ctx.waiter.wait(taskId, seen);
  // Registered first, then looked up: a callback that lands in between is not lost.
  const delivered = await ctx.lookupDelivered?.(taskId).catch(() => undefined);
  if (delivered) ctx.waiter.deliver(delivered);
  try {
    return await pending;
  } catch (error) {
    if (ctx.shutdown.aborted) return release(job, token, ctx);
    throw error;
  }
}

/**
 * Runs one job to its end, resuming from its checkpoints: a job with a task id waits on it and
 * never creates again; one that was `creating` sends the create again with the same key.
 * Completed → the job's return value; a failed or cancelled task, or a refused create (400, 402,
 * 403 …), is a dead letter (`UnrecoverableError`, no BullMQ retry).
 */
export async function processLipSyncJob(
  job: Job<LipSyncJobData>,
  token: string | undefined,
  ctx: JobContext,
): Promise<LipSyncJobResult> {
  let waiting = false;
  try {
    return await runJob(job, token, ctx, () => {
      waiting = true;
      ctx.fetchAhead?.waiting();
    });
  } finally {
    ctx.fetchAhead?.settled(waiting);
  }
}

/** {@link processLipSyncJob}'s steps; `nowWaiting` once the job has its task. */
async function runJob(
  job: Job<LipSyncJobData>,
  token: string | undefined,
  ctx: JobContext,
  nowWaiting: () => void,
): Promise<LipSyncJobResult> {
  if (!isLipSyncJobData(job.data)) {
    throw new UnrecoverableError(`job ${String(job.id)}: its data was not written by @videoretalk/bullmq's producer`);
  }
  if (ctx.shutdown.aborted) return release(job, token, ctx);
  const store = jobDataStore(job);
  const batchJob = job.data.job;
  const snapshot = snapshotsFrom(job.data.checkpoints).get(batchJob.id) ?? emptySnapshot(batchJob.id);
  const step = nextStep(batchJob, snapshot, { now: ctx.now() });

  let taskId: string;
  let seen: CreatedTask | undefined;
  switch (step.kind) {
    case "upload":
      return deadLetter(
        store,
        batchJob,
        undefined,
        {
          code: "not_uploaded",
          message: `local inputs must be uploaded by the producer first (${Object.values(step.files).join(", ")})`,
        },
        ctx,
      );
    case "failed":
      throw new UnrecoverableError(`${step.error?.code ?? step.status}: ${step.error?.message ?? "task failed"}`);
    case "create": {
      const created = await create(job, token, store, snapshot, step, ctx);
      taskId = created.id;
      seen = created;
      break;
    }
    default:
      taskId = step.taskId;
      // Again on resume: the job may have been checkpointed by a worker of an older version.
      await ctx.expectTask?.(taskId, batchJob.id);
      ctx.onEvent?.({ type: "resumed", jobId: batchJob.id, taskId });
  }
  nowWaiting();
  await job.updateProgress({ state: "created", taskId });

  const { task, via } = await waitFor(job, token, taskId, seen, ctx);
  // Best effort: a stale entry only lets a real delivery of this task be stored once more.
  await ctx.forgetTask?.(taskId).catch(() => {});
  if (task.status !== "completed") {
    const status = task.status === "cancelled" ? "cancelled" : "failed";
    return deadLetter(store, batchJob, taskId, taskError(task), ctx, status);
  }
  await store.append({ job: batchJob.id, at: ctx.now(), step: "terminal", status: "completed" });
  ctx.onEvent?.({ type: "completed", jobId: batchJob.id, taskId, via });
  return { taskId, task };
}
