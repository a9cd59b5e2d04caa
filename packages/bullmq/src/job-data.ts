import type { BatchJob, Checkpoint } from "@videoretalk/batch";
import { isCheckpoint } from "@videoretalk/batch";
import type { Task } from "@videoretalk/core";

/**
 * What a BullMQ job of this package carries: the batch's job (the inputs its idempotency key is
 * derived from) and its checkpoints — the same checkpoint records the local journal writes, kept
 * in the job's data (`job.updateData`) instead of a file.
 */
export interface LipSyncJobData {
  /** Format of this record, so later versions can read older jobs. */
  format: 1;
  /** The job as the producer saw it (local paths stay as they were; their uploads are checkpoints). */
  job: BatchJob;
  /** This job's checkpoints, oldest first: `planned`, `uploaded`, then `creating`, `created`, `terminal`. */
  checkpoints: Checkpoint[];
}

/** A completed job's return value (BullMQ `returnvalue`). */
export interface LipSyncJobResult {
  taskId: string;
  /** The completed task as last read (or as its callback delivered it); `results` are valid 24 h. */
  task: Task;
}

/** Whether a job's data has the shape this package writes (checked before any step runs). */
export function isLipSyncJobData(value: unknown): value is LipSyncJobData {
  if (value === null || typeof value !== "object") return false;
  const data = value as Record<string, unknown>;
  const job = data.job as Record<string, unknown> | null | undefined;
  return (
    data.format === 1 &&
    typeof job === "object" &&
    job !== null &&
    typeof job.id === "string" &&
    typeof job.video === "string" &&
    typeof job.audio === "string" &&
    Array.isArray(data.checkpoints) &&
    data.checkpoints.every(isCheckpoint)
  );
}
