import type { Checkpoint, CheckpointStore } from "@videoretalk/batch";
import type { Job } from "bullmq";
import type { LipSyncJobData } from "./job-data.js";

/**
 * The batch's `CheckpointStore`, kept in one BullMQ job's data: `append` resolves once Redis has
 * the new data (`job.updateData`), so a worker killed right after still leaves the checkpoint for
 * the worker that takes the job over.
 */
export function jobDataStore(job: Job<LipSyncJobData>): CheckpointStore {
  return {
    async load() {
      return [...job.data.checkpoints];
    },
    async append(checkpoint: Checkpoint) {
      const data: LipSyncJobData = { ...job.data, checkpoints: [...job.data.checkpoints, checkpoint] };
      await job.updateData(data);
      job.data = data;
    },
    async close() {},
  };
}
