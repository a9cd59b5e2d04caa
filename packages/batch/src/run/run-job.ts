import { type CreatedTask, isTransientError, NotFoundError, type Task } from "@videoretalk/core";
import { ResultExpiredError } from "@videoretalk/polling";
import type { JobSnapshot, RecordedError } from "../job-model/checkpoints.js";
import type { BatchJob } from "../job-model/job.js";
import { type NextStep, nextStep } from "../job-model/next-step.js";
import { applyCheckpoint } from "../job-model/snapshot.js";
import { outputPathFor } from "../safe-file-name.js";
import { type RunContext, record, recordedError } from "./context.js";
import { createParams, createWithKey } from "./create-task.js";
import { outputIsValid, saveResult } from "./save-result.js";
import type { JobOutcome } from "./types.js";

function outcome(job: BatchJob, status: JobOutcome["status"], extra: Partial<JobOutcome> = {}): JobOutcome {
  return { id: job.id, status, task_id: undefined, output: undefined, error: undefined, ...extra };
}

/** Uploads the job's local files (once per file per run) and records their URLs. */
async function upload(ctx: RunContext, job: BatchJob, snapshot: JobSnapshot, files: Record<string, string>) {
  const urls: Record<string, string> = {};
  for (const [wire, path] of Object.entries(files)) {
    let pending = ctx.uploads.get(path);
    if (!pending) {
      pending = ctx.client.files.upload(path, { signal: ctx.signal });
      ctx.uploads.set(path, pending);
      pending.catch(() => ctx.uploads.delete(path));
    }
    urls[wire] = await pending;
  }
  await record(ctx, { job: job.id, step: "uploaded", urls });
  ctx.emit({ type: "job", job: job.id, state: "uploaded" });
  return applyCheckpoint(snapshot, { job: job.id, step: "uploaded", urls, at: ctx.clock.now() });
}

/**
 * The billable part of a job, after the runner gave it a slot and the budget admitted it:
 * upload what is missing, write `creating` (the key) before the POST, create, write `created`.
 * Returns the created task, or the job's outcome when it ends here.
 */
export async function startJob(
  ctx: RunContext,
  job: BatchJob,
  initial: JobSnapshot,
  step: Extract<NextStep, { kind: "upload" | "create" }>,
): Promise<{ task: CreatedTask } | { outcome: JobOutcome; credits?: undefined }> {
  let snapshot = initial;
  let next: NextStep = step;
  try {
    if (next.kind === "upload") {
      snapshot = await upload(ctx, job, snapshot, next.files);
      next = nextStep(job, snapshot, { now: ctx.clock.now(), retryFailed: ctx.retryFailed });
    }
  } catch (error) {
    ctx.budget.settle(undefined);
    const recorded = recordedError(error);
    // Not journaled: a re-run uploads again. Network trouble leaves the job unfinished.
    const status = ctx.signal.aborted || isTransientError(error) ? "unfinished" : "failed";
    ctx.emit({ type: "job", job: job.id, state: status, error: recorded });
    return { outcome: outcome(job, status, { error: recorded }) };
  }
  if (next.kind !== "create") throw new Error(`unexpected step ${next.kind} after upload`);
  if (next.retried) ctx.emit({ type: "retry-failed", job: job.id, attempt: next.attempt });
  if (!next.resumed) {
    await record(ctx, { job: job.id, step: "creating", idempotencyKey: next.idempotencyKey, attempt: next.attempt });
    ctx.emit({ type: "job", job: job.id, state: "creating" });
  }
  const created = await createWithKey(ctx, createParams(job, snapshot), next.idempotencyKey);
  if (created.kind !== "created") {
    ctx.budget.settle(undefined);
    const error = recordedError(created.error);
    if (created.kind === "no-credits") {
      ctx.budget.exhausted = true;
      ctx.emit({ type: "job", job: job.id, state: "skipped", error });
      return { outcome: outcome(job, "skipped", { reason: "budget", error }) };
    }
    if (created.kind === "unfinished") {
      ctx.emit({ type: "job", job: job.id, state: "unfinished", error });
      return { outcome: outcome(job, "unfinished", { error }) };
    }
    await record(ctx, { job: job.id, step: "terminal", status: "failed", error });
    ctx.emit({ type: "job", job: job.id, state: "failed", error });
    return { outcome: outcome(job, "failed", { error }) };
  }
  const { task } = created;
  const creditsReserved = task.usage?.credits_reserved;
  await record(ctx, { job: job.id, step: "created", taskId: task.id, creditsReserved });
  ctx.budget.settle(creditsReserved);
  ctx.emit({ type: "job", job: job.id, state: "created", taskId: task.id, creditsReserved });
  return { task };
}

function taskError(task: Task): RecordedError {
  const error = task.error as { code?: unknown; message?: unknown } | undefined;
  return {
    code: error?.code !== undefined ? String(error.code) : task.status,
    message: typeof error?.message === "string" ? error.message : `the task was ${task.status}`,
  };
}

/** Downloads a completed task's result and records its size and checksum. */
async function download(ctx: RunContext, job: BatchJob, task: Task): Promise<JobOutcome> {
  const path = outputPathFor(job, ctx.outDir);
  try {
    const saved = await ctx.downloads.run(() =>
      saveResult(task, path, { signal: ctx.signal, fetch: ctx.fetch, allowPrivateNetwork: ctx.allowPrivateNetwork }),
    );
    await record(ctx, { job: job.id, step: "downloaded", ...saved });
    ctx.emit({ type: "job", job: job.id, state: "downloaded", taskId: task.id });
    return outcome(job, "downloaded", { task_id: task.id, output: saved });
  } catch (error) {
    const recorded = recordedError(error);
    if (error instanceof ResultExpiredError && !ctx.signal.aborted) {
      // The paid result is gone (links last 24 h): record it so `--retry-failed` can redo the job.
      await record(ctx, {
        job: job.id,
        step: "terminal",
        status: "failed",
        error: { ...recorded, code: "result_expired" },
      });
      ctx.emit({ type: "job", job: job.id, state: "failed", taskId: task.id, error: recorded });
      return outcome(job, "failed", { task_id: task.id, error: { ...recorded, code: "result_expired" } });
    }
    ctx.emit({ type: "job", job: job.id, state: "unfinished", taskId: task.id, error: recorded });
    return outcome(job, "unfinished", { task_id: task.id, error: recorded });
  }
}

/**
 * Waits for a task that exists (never creates), records its terminal status, and downloads a
 * completed result at once. `first` is the create answer, which seeds the polling schedule.
 */
export async function finishJob(
  ctx: RunContext,
  job: BatchJob,
  taskId: string,
  first: CreatedTask | undefined,
  releaseSlot: () => void,
): Promise<JobOutcome> {
  let task: Task;
  try {
    task = await ctx.poller.wait(taskId, first);
  } catch (error) {
    releaseSlot();
    const recorded = recordedError(error);
    if (error instanceof NotFoundError && !ctx.signal.aborted) {
      await record(ctx, { job: job.id, step: "terminal", status: "failed", error: recorded });
      ctx.emit({ type: "job", job: job.id, state: "failed", taskId, error: recorded });
      return outcome(job, "failed", { task_id: taskId, error: recorded });
    }
    ctx.emit({ type: "job", job: job.id, state: "unfinished", taskId, error: recorded });
    return outcome(job, "unfinished", { task_id: taskId, error: recorded });
  }
  releaseSlot();
  if (task.status !== "completed") {
    const status = task.status === "cancelled" ? "cancelled" : "failed";
    const error = taskError(task);
    await record(ctx, { job: job.id, step: "terminal", status, error });
    ctx.emit({ type: "job", job: job.id, state: status, taskId, error });
    return outcome(job, "failed", { task_id: taskId, error });
  }
  await record(ctx, { job: job.id, step: "terminal", status: "completed" });
  ctx.emit({ type: "job", job: job.id, state: "completed", taskId });
  return download(ctx, job, task);
}

/** A job whose result an earlier run downloaded: skip it when the file still checks out. */
export async function verifiedOutcome(
  job: BatchJob,
  step: Extract<NextStep, { kind: "verify" }>,
): Promise<JobOutcome | undefined> {
  if (!(await outputIsValid(step.output))) return undefined;
  return outcome(job, "downloaded", { task_id: step.taskId, output: step.output });
}

export { outcome };
