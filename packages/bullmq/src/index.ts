/**
 * `@videoretalk/bullmq`: the batch's lip-sync jobs on BullMQ and Redis — a producer, crash-safe
 * workers, a callback receiver and a coordinator that downloads results. Named re-exports only.
 */
export {
  type CallbackKeys,
  callbackKeys,
  DELIVERED_TASK_TTL_S,
} from "./callback-channel.js";
export { type CallbackReceiver, type CallbackReceiverOptions, createCallbackReceiver } from "./callback-receiver.js";
export { checkRedis, MIN_REDIS_VERSION, RedisUnavailableError } from "./check-redis.js";
export { classifyFailure, type FailureKind } from "./classify-failure.js";
export { type RedisConnectionOptions, redactRedisUrl, redisConnection } from "./connection.js";
export { runQueuedBatch } from "./coordinator/run-queued-batch.js";
export type { QueuedBatchOptions, UploadClient } from "./coordinator/types.js";
export {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  DEFAULT_CONCURRENCY,
  DEFAULT_KEY_PREFIX,
  DEFAULT_MAX_CONCURRENT_CREATES,
  DEFAULT_MAX_STALLED_COUNT,
  DEFAULT_QUEUE_NAME,
} from "./defaults.js";
export { isLipSyncJobData, type LipSyncJobData, type LipSyncJobResult } from "./job-data.js";
export type { WorkerEvent } from "./process-job.js";
export {
  createLipSyncProducer,
  type EnqueueEntry,
  type EnqueueResult,
  initialJobData,
  JOB_NAME,
  type LipSyncProducer,
  type LipSyncProducerOptions,
} from "./producer.js";
export { createLipSyncWorker, type LipSyncWorker, type LipSyncWorkerOptions } from "./worker.js";
