import type { Checkpoint } from "./checkpoints.js";

/**
 * Where a batch writes its checkpoints. The local JSONL journal is one implementation; a queue's
 * job data (BullMQ `job.updateData`) is another. The runner appends a checkpoint and waits for
 * it before starting the step that follows, so a crash at any instant resumes from the last one.
 */
export interface CheckpointStore {
  /** Every checkpoint written so far, oldest first. */
  load(): Promise<Checkpoint[]>;
  /** Writes one checkpoint; resolves once it is durable (fsynced, acknowledged). */
  append(checkpoint: Checkpoint): Promise<void>;
  /** Flushes and releases the store. Safe to call twice. */
  close(): Promise<void>;
}
