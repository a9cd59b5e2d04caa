import type { BatchEvent, BatchJob, CheckpointStore } from "@videoretalk/batch";
import type { VideoRetalkClient } from "@videoretalk/core";
import type { RedisConnectionOptions } from "../connection.js";

/** Options of {@link runQueuedBatch}. */
export interface QueuedBatchOptions {
  /** Redis URL (`redis://`, `rediss://`) or ioredis options. */
  redis: string | RedisConnectionOptions;
  /** Queue name. Default `videoretalk`. */
  queueName?: string | undefined;
  /** BullMQ key prefix. Default `bull`. */
  prefix?: string | undefined;
  /** Folder of the results; created when missing. */
  outDir: string;
  /** Checkpoint store or JSONL journal path. Default `<outDir>/.videoretalk-batch.jsonl` (the local batch's). */
  journal?: CheckpointStore | string | undefined;
  /** Stops waiting: downloads in flight are aborted, the journal flushed; the summary says `interrupted`. */
  signal?: AbortSignal | undefined;
  /** Every state change: uploaded, queued, created, completed, downloaded, failed. */
  onEvent?: ((event: BatchEvent) => void) | undefined;
  /** Let downloads reach loopback/private http URLs (a local emulator). Default false. */
  allowPrivateNetwork?: boolean | undefined;
  /** Downloads at once. Default 4. */
  downloadConcurrency?: number | undefined;
  /** `fetch` for downloads. Default the global one. */
  fetch?: typeof fetch | undefined;
  /** Tries per job for transient failures, and the first backoff (see the producer). */
  attempts?: number | undefined;
  backoffMs?: number | undefined;
}

/** What the coordinator needs of a client: uploads of local files (workers only get URLs). */
export type UploadClient = Pick<VideoRetalkClient, "files">;

/** A job of the run and where its result goes. */
export interface PlannedJob {
  job: BatchJob;
  out: string;
}
