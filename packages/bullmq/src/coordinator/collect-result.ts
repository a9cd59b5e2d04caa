import { saveResult } from "@videoretalk/batch";
import type { Job } from "bullmq";
import type { LipSyncJobData, LipSyncJobResult } from "../job-data.js";
import { type RunState, record } from "./run-state.js";

/** Copies the worker's task checkpoints (`created`, `terminal`) into the journal when it lacks them. */
async function mirrorCheckpoints(run: RunState, job: Job<LipSyncJobData, LipSyncJobResult>): Promise<void> {
  for (const checkpoint of job.data.checkpoints) {
    const known = run.snapshots.get(checkpoint.job);
    if (checkpoint.step === "created" && known?.taskId !== checkpoint.taskId) await record(run, checkpoint);
    if (checkpoint.step === "terminal" && known?.state !== checkpoint.status) await record(run, checkpoint);
  }
}

/**
 * Handles a finished queue job: a completed one's result is downloaded (checksummed, journaled),
 * a failed one is reported with its error. Resolves `true` once the job needs nothing more.
 */
export async function collectResult(run: RunState, job: Job<LipSyncJobData, LipSyncJobResult>): Promise<boolean> {
  const id = String(job.id);
  const state = await job.getState();
  if (state !== "completed" && state !== "failed") return false;
  await mirrorCheckpoints(run, job);
  const snapshot = run.snapshots.get(id);
  if (state === "failed") {
    const error = snapshot?.error ?? { code: "job_failed", message: job.failedReason || "the job failed" };
    run.outcomes.set(id, { id, status: "failed", task_id: snapshot?.taskId, output: undefined, error });
    run.emit({ type: "job", job: id, state: "failed", taskId: snapshot?.taskId, error });
    return true;
  }
  const result = job.returnvalue;
  const out = run.jobs.get(id)?.out as string;
  const release = await run.downloads.acquire(run.signal);
  try {
    const saved = await saveResult(result.task, out, {
      signal: run.signal,
      fetch: run.options.fetch,
      allowPrivateNetwork: run.options.allowPrivateNetwork,
    });
    await record(run, { job: id, at: Date.now(), step: "downloaded", ...saved });
    run.outcomes.set(id, { id, status: "downloaded", task_id: result.taskId, output: saved, error: undefined });
    run.emit({ type: "job", job: id, state: "downloaded", taskId: result.taskId });
    return true;
  } finally {
    release();
  }
}
