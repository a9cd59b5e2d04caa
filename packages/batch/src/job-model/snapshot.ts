import type { Checkpoint, JobSnapshot } from "./checkpoints.js";

/** The snapshot of a job nothing has been written for yet. */
export function emptySnapshot(job: string): JobSnapshot {
  return { job, state: "planned", urls: {}, attempt: 0 };
}

/**
 * Folds one checkpoint into a job's snapshot (pure; returns a new object). A `creating` step with
 * a higher attempt starts a new task: the previous task id, status and output are forgotten.
 *
 * @example
 * const snapshot = checkpoints.reduce(applyCheckpoint, emptySnapshot("intro-de"));
 */
export function applyCheckpoint(snapshot: JobSnapshot, checkpoint: Checkpoint): JobSnapshot {
  const next: JobSnapshot = { ...snapshot, urls: { ...snapshot.urls } };
  switch (checkpoint.step) {
    case "planned":
      next.fingerprint = checkpoint.fingerprint;
      return next;
    case "uploaded":
      Object.assign(next.urls, checkpoint.urls);
      next.uploadedAt = checkpoint.at;
      if (next.state === "planned") next.state = "uploaded";
      return next;
    case "creating":
      if (checkpoint.attempt > snapshot.attempt) {
        next.taskId = undefined;
        next.creditsReserved = undefined;
        next.error = undefined;
        next.output = undefined;
      }
      next.attempt = checkpoint.attempt;
      next.idempotencyKey = checkpoint.idempotencyKey;
      next.state = "creating";
      return next;
    case "created":
      next.taskId = checkpoint.taskId;
      next.creditsReserved = checkpoint.creditsReserved;
      next.state = "created";
      return next;
    case "terminal":
      next.state = checkpoint.status;
      next.error = checkpoint.error;
      return next;
    case "downloaded":
      next.output = { path: checkpoint.path, bytes: checkpoint.bytes, sha256: checkpoint.sha256 };
      next.state = "downloaded";
      return next;
  }
}

/** Folds a store's checkpoints (oldest first) into one snapshot per job. */
export function snapshotsFrom(checkpoints: Iterable<Checkpoint>): Map<string, JobSnapshot> {
  const snapshots = new Map<string, JobSnapshot>();
  for (const checkpoint of checkpoints) {
    const current = snapshots.get(checkpoint.job) ?? emptySnapshot(checkpoint.job);
    snapshots.set(checkpoint.job, applyCheckpoint(current, checkpoint));
  }
  return snapshots;
}
