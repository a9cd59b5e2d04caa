import {
  type BatchJob,
  type Checkpoint,
  inputFingerprint,
  isUrl,
  MEDIA_FIELDS,
  type UploadedCheckpoint,
  WIRE_FIELD,
} from "@videoretalk/batch";
import { ValidationError } from "@videoretalk/core";
import { type JobsOptions, Queue } from "bullmq";
import { type RedisConnectionOptions, redisConnection } from "./connection.js";
import { DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS, DEFAULT_KEY_PREFIX, DEFAULT_QUEUE_NAME } from "./defaults.js";
import type { LipSyncJobData, LipSyncJobResult } from "./job-data.js";
import { knownJobIds } from "./known-jobs.js";

/** BullMQ job name of every job this package enqueues. */
export const JOB_NAME = "lipsync";

/** Jobs per `addBulk` call: the first is small so workers start at once, the rest are larger. */
const FIRST_CHUNK = 50;
const CHUNK = 500;

/** Options of {@link createLipSyncProducer}. */
export interface LipSyncProducerOptions {
  /** Redis URL (`redis://`, `rediss://` for TLS) or ioredis options. Redis ≥ 6.2. */
  redis: string | RedisConnectionOptions;
  /** Queue name. Default `videoretalk`. */
  queueName?: string | undefined;
  /** BullMQ key prefix. Default `bull`. */
  prefix?: string | undefined;
  /** Tries per job for transient failures. Default 8. */
  attempts?: number | undefined;
  /** First retry delay in ms, doubling each try. Default 2 000. */
  backoffMs?: number | undefined;
}

/** One job to enqueue: the batch job, and the uploaded URLs of its local files (if any). */
export interface EnqueueEntry {
  job: BatchJob;
  /** Files API URLs of the job's local files (`video_url`, `audio_url`, `ref_image_url`). */
  uploaded?: UploadedCheckpoint["urls"] | undefined;
  /** When they were uploaded, ms since the epoch (links live 72 h). Default: now. */
  uploadedAt?: number | undefined;
}

/** What {@link LipSyncProducer.enqueue} did. */
export interface EnqueueResult {
  /** Ids added now. */
  added: string[];
  /** Ids the queue already had (waiting, running, delayed, done or failed): left alone. */
  existing: string[];
}

/** Enqueues lip-sync jobs. */
export interface LipSyncProducer {
  /** The BullMQ queue, for `getJob`, counts and cleaning. */
  readonly queue: Queue<LipSyncJobData, LipSyncJobResult>;
  /**
   * Adds jobs with the job id as BullMQ `jobId`, so enqueueing the same job again is a no-op
   * (also once it is done: keep completed jobs, or a later run enqueues it again).
   */
  enqueue(entries: readonly EnqueueEntry[]): Promise<EnqueueResult>;
  close(): Promise<void>;
}

/** The job data of a new job: `planned` (its input fingerprint) and `uploaded`, as the journal would write them. */
export function initialJobData(entry: EnqueueEntry, now: number): LipSyncJobData {
  const { job } = entry;
  const checkpoints: Checkpoint[] = [{ job: job.id, at: now, step: "planned", fingerprint: inputFingerprint(job) }];
  for (const field of MEDIA_FIELDS) {
    const value = job[field];
    if (value !== undefined && !isUrl(value) && entry.uploaded?.[WIRE_FIELD[field]] === undefined) {
      throw new ValidationError(
        field,
        `job ${job.id}: ${field} is a local file (${value}); upload it and pass its URL in uploaded.${WIRE_FIELD[field]}.`,
      );
    }
  }
  if (entry.uploaded && Object.keys(entry.uploaded).length > 0) {
    checkpoints.push({ job: job.id, at: entry.uploadedAt ?? now, step: "uploaded", urls: { ...entry.uploaded } });
  }
  return { format: 1, job, checkpoints };
}

/**
 * Creates a producer for a queue.
 *
 * @example
 * ```ts
 * const producer = createLipSyncProducer({ redis: "redis://127.0.0.1:6379" });
 * await producer.enqueue([{ job: { id: "intro-de", video: "https://x/intro.mp4", audio: "https://x/de.wav" } }]);
 * await producer.close();
 * ```
 * @throws {ValidationError} for a bad `redis` URL.
 */
export function createLipSyncProducer(options: LipSyncProducerOptions): LipSyncProducer {
  const connection = typeof options.redis === "string" ? redisConnection(options.redis) : options.redis;
  const queue = new Queue<LipSyncJobData, LipSyncJobResult>(options.queueName ?? DEFAULT_QUEUE_NAME, {
    connection,
    prefix: options.prefix ?? DEFAULT_KEY_PREFIX,
  });
  const jobOptions: JobsOptions = {
    attempts: options.attempts ?? DEFAULT_ATTEMPTS,
    backoff: { type: "exponential", delay: options.backoffMs ?? DEFAULT_BACKOFF_MS },
    // Finished jobs stay: their ids are what makes a re-run enqueue nothing twice.
    removeOnComplete: false,
    removeOnFail: false,
  };
  return {
    queue,
    async enqueue(entries) {
      const now = Date.now();
      const data = entries.map((entry) => initialJobData(entry, now));
      const known = await knownJobIds(
        queue,
        data.map((item) => item.job.id),
      );
      const existing = data.filter((item) => known.has(item.job.id)).map((item) => item.job.id);
      const fresh = data.filter((item) => !known.has(item.job.id));
      // addBulk is atomic per job and a no-op for a jobId that appeared in the meantime. A small
      // first chunk lets workers start while the rest is still being added.
      for (let start = 0, size = FIRST_CHUNK; start < fresh.length; start += size, size = CHUNK) {
        await queue.addBulk(
          fresh.slice(start, start + size).map((item) => ({
            name: JOB_NAME,
            data: item,
            opts: { ...jobOptions, jobId: item.job.id },
          })),
        );
      }
      return { added: fresh.map((item) => item.job.id), existing };
    },
    close: () => queue.close(),
  };
}
