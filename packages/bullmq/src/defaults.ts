/** The queue every producer and worker uses unless told otherwise. */
export const DEFAULT_QUEUE_NAME = "videoretalk";

/** BullMQ's own key prefix (`bull:<queue>:…`); change it to share one Redis between apps. */
export const DEFAULT_KEY_PREFIX = "bull";

/** How many tries a job gets for transient failures (5xx, timeouts, lost connections). */
export const DEFAULT_ATTEMPTS = 8;

/** First retry delay of a transient failure, in ms; doubles on each attempt (BullMQ `exponential`). */
export const DEFAULT_BACKOFF_MS = 2_000;

/**
 * How many jobs one worker process holds at once. A waiting job costs a promise and a few
 * observations, not a connection or a timer: the reads are shared (≤ 50 tasks per request).
 */
export const DEFAULT_CONCURRENCY = 500;

/**
 * How many create calls one worker process sends at the same time. The pace is the queue's
 * schedule; this only has to cover its share of the rate × a create's round trip.
 */
export const DEFAULT_MAX_CONCURRENT_CREATES = 16;

/**
 * How often a job may be found stalled (its worker died) and handed to another worker before
 * BullMQ fails it. Resuming is safe here (the task id is checkpointed), so this is high.
 */
export const DEFAULT_MAX_STALLED_COUNT = 20;
