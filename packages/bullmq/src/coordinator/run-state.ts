import {
  applyCheckpoint,
  type BatchJob,
  type Checkpoint,
  type CheckpointStore,
  emptySnapshot,
  type JobOutcome,
  type JobSnapshot,
} from "@videoretalk/batch";
import type { Queue } from "bullmq";
import type { LipSyncJobData, LipSyncJobResult } from "../job-data.js";
import type { Semaphore } from "../semaphore.js";
import type { QueuedBatchOptions } from "./types.js";

/** Everything one run shares. */
export interface RunState {
  options: QueuedBatchOptions;
  store: CheckpointStore;
  snapshots: Map<string, JobSnapshot>;
  jobs: Map<string, BatchJob>;
  outcomes: Map<string, JobOutcome>;
  /** Jobs whose result is not on disk yet. */
  pending: Set<string>;
  /** Jobs being collected now, so an event and a rescan never collect one twice. */
  collecting: Set<string>;
  queue: Queue<LipSyncJobData, LipSyncJobResult>;
  downloads: Semaphore;
  signal: AbortSignal;
  emit: NonNullable<QueuedBatchOptions["onEvent"]>;
  /** Resolves when `pending` empties. */
  settled: () => void;
}

/** Appends a checkpoint to the journal and folds it into the job's snapshot. */
export async function record(run: RunState, checkpoint: Checkpoint): Promise<void> {
  await run.store.append(checkpoint);
  const current = run.snapshots.get(checkpoint.job) ?? emptySnapshot(checkpoint.job);
  run.snapshots.set(checkpoint.job, applyCheckpoint(current, checkpoint));
}
