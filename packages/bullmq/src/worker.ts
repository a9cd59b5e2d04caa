import { setMaxListeners } from "node:events";
import { type BatchEvent, TaskPoller } from "@videoretalk/batch";
import { type Clock, systemClock, ValidationError, type VideoRetalkClient } from "@videoretalk/core";
import { callbackUrl } from "@videoretalk/server";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { type CallbackKeys, callbackKeys, expectTask, forgetTask, parseDeliveredTask } from "./callback-channel.js";
import { checkRedis } from "./check-redis.js";
import { type RedisConnectionOptions, redisConnection } from "./connection.js";
import { createCreateGate, type SharedPause } from "./create-gate.js";
import { createPacer } from "./create-pacer.js";
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_KEY_PREFIX,
  DEFAULT_MAX_CONCURRENT_CREATES,
  DEFAULT_MAX_STALLED_COUNT,
  DEFAULT_QUEUE_NAME,
} from "./defaults.js";
import { createFetchAhead } from "./fetch-ahead.js";
import type { LipSyncJobData, LipSyncJobResult } from "./job-data.js";
import { createJobWaiter } from "./job-waiter.js";
import { type JobContext, processLipSyncJob, type WorkerEvent } from "./process-job.js";

/** Options of {@link createLipSyncWorker}. */
export interface LipSyncWorkerOptions {
  /** A `createVideoRetalk()` client: creates tasks and reads them (`tasks.getMany`, ≤ 50 per request). */
  client: Pick<VideoRetalkClient, "lipSync" | "tasks">;
  /** Redis URL (`redis://`, `rediss://` for TLS) or ioredis options. Redis ≥ 6.2. */
  redis: string | RedisConnectionOptions;
  /** Queue name. Default `videoretalk`. */
  queueName?: string | undefined;
  /** BullMQ key prefix. Default `bull`. */
  prefix?: string | undefined;
  /** Jobs this process holds at once, most of them just waiting. Default 500. */
  concurrency?: number | undefined;
  /** Create calls this process sends at once (a cap; the queue's schedule sets the pace). Default 16. */
  maxConcurrentCreates?: number | undefined;
  /**
   * Creates per second across every worker of the queue, when you know your account's limit: a
   * schedule shared in Redis spaces them out. Default: none; the spacing is learnt from 429s
   * (shared by every worker the same way), and a 429 still pauses every worker.
   */
  createsPerSecond?: number | undefined;
  /** Create tasks with a signed `callback_url` (see {@link createCallbackReceiver}); the receiver completes jobs. */
  callbacks?: { baseUrl: string; secret: string } | undefined;
  /** Poll waiting tasks. `false` needs `callbacks`: only deliveries complete jobs. Default `true`. */
  poll?: boolean | undefined;
  /** Shortest / longest delay between reads of one task, in ms. Defaults 1 000 / 60 000. */
  minPollIntervalMs?: number | undefined;
  maxPollIntervalMs?: number | undefined;
  /** How long a job's lock lives without renewal, in ms; a killed worker's jobs move on after it. Default 30 000. */
  lockDurationMs?: number | undefined;
  /** How often stalled jobs (of dead workers) are looked for, in ms. Default 30 000. */
  stalledIntervalMs?: number | undefined;
  /** Stalls a job survives before BullMQ fails it. Default 20 (resuming is safe). */
  maxStalledCount?: number | undefined;
  /** What the worker did: created, resumed, rate-limited, completed, dead-letter, released. */
  onEvent?: ((event: WorkerEvent) => void) | undefined;
  /** Errors the worker cannot attach to a job (Redis connection, reads). Default `console.error`. */
  onError?: ((error: unknown) => void) | undefined;
  /** Time source of the polling schedule. Default: the system clock. */
  clock?: Clock | undefined;
}

/** A running worker. */
export interface LipSyncWorker {
  /** The BullMQ worker, for its events (`completed`, `failed` …). */
  readonly worker: Worker<LipSyncJobData, LipSyncJobResult>;
  /** Task read requests sent so far by this process. */
  readonly reads: number;
  /**
   * Stops taking jobs, lets creates in flight finish and checkpoint their task id, puts every
   * waiting job back in the queue (another worker resumes it on the same task), then closes.
   */
  close(): Promise<void>;
}

function positiveInteger(field: string, value: number | undefined, fallback: number): number {
  const result = value ?? fallback;
  if (!Number.isInteger(result) || result < 1) {
    throw new ValidationError(field, `${field} must be a whole number ≥ 1, got ${String(value)}.`);
  }
  return result;
}

/** Subscribes to callback deliveries; returns a lookup for tasks delivered before a wait began. */
async function listenForCallbacks(
  connection: RedisConnectionOptions,
  keys: ReturnType<typeof callbackKeys>,
  deliver: JobContext["waiter"]["deliver"],
) {
  const subscriber = new Redis(connection);
  const reader = new Redis(connection);
  // ioredis reconnects by itself (and re-subscribes); polling covers deliveries missed meanwhile.
  subscriber.on("error", () => {});
  reader.on("error", () => {});
  subscriber.on("message", (_channel: string, message: string) => {
    const task = parseDeliveredTask(message);
    if (task) deliver(task);
  });
  await subscriber.subscribe(keys.channel);
  return {
    lookup: async (taskId: string) => parseDeliveredTask(await reader.get(keys.task(taskId))),
    close: async () => {
      await Promise.all([subscriber.quit(), reader.quit()]).catch(() => {
        subscriber.disconnect();
        reader.disconnect();
      });
    },
  };
}

/** Checks the options that BullMQ would not, before anything connects. */
function checkOptions(options: LipSyncWorkerOptions): { concurrency: number; maxCreates: number } {
  const concurrency = positiveInteger("concurrency", options.concurrency, DEFAULT_CONCURRENCY);
  const maxCreates = positiveInteger(
    "maxConcurrentCreates",
    options.maxConcurrentCreates,
    DEFAULT_MAX_CONCURRENT_CREATES,
  );
  if (options.createsPerSecond !== undefined && !(options.createsPerSecond > 0)) {
    throw new ValidationError(
      "createsPerSecond",
      `createsPerSecond must be a positive number, got ${String(options.createsPerSecond)}.`,
    );
  }
  if (options.poll === false && !options.callbacks) {
    throw new ValidationError("poll", "poll: false needs callbacks: nothing else would complete the jobs.");
  }
  return { concurrency, maxCreates };
}

/** The batch's poller for this process, or none when only callbacks end waits. */
function createPoller(
  options: LipSyncWorkerOptions,
  clock: Clock,
  signal: AbortSignal,
  onError: (error: unknown) => void,
): TaskPoller | undefined {
  if (options.poll === false) return undefined;
  return new TaskPoller({
    client: options.client as ConstructorParameters<typeof TaskPoller>[0]["client"],
    clock,
    random: Math.random,
    minIntervalMs: options.minPollIntervalMs ?? 1_000,
    maxIntervalMs: options.maxPollIntervalMs ?? 60_000,
    // A worker outlives read failures: the jobs stay checkpointed and reading resumes.
    maxReadFailures: Number.POSITIVE_INFINITY,
    signal,
    onEvent: (event: BatchEvent) => {
      if (event.type === "read-error") onError(new Error(`task read failed: ${event.message}`));
    },
  });
}

/** Jobs fetched ahead of their create: enough to keep `maxCreates` creates going meanwhile. */
function fetchLookahead(maxCreates: number): number {
  return 2 * maxCreates;
}

/** Pauses at least this long also stop BullMQ handing out jobs (`queue.rateLimit`). */
const QUEUE_LIMITER_MIN_MS = 1_000;

/** The 429 pause and create schedule (known or learnt spacing) every worker of the queue shares, in Redis. */
function sharedPause(
  redis: Redis,
  queue: Queue,
  keys: CallbackKeys,
  createsPerSecond: number | undefined,
): SharedPause {
  return {
    async pause(ms) {
      const until = Math.max(1, Math.ceil(ms));
      await Promise.all([
        (async () => {
          // Never shorten a longer pause another worker set (SET … GT would need Redis 7).
          const left = await redis.pttl(keys.pause);
          if (left < until) await redis.set(keys.pause, "429", "PX", until);
        })(),
        // And BullMQ's own queue-wide limiter: no worker takes a new job meanwhile. Only for a
        // long pause: a worker's fetch loop, once limited, stalls far longer than a short
        // Retry-After (measured: ~0.7 s lost per burst of 14 ms 429s at the start of the bench),
        // and holding jobs costs nothing upstream; the shared pause already holds every create.
        until >= QUEUE_LIMITER_MIN_MS ? queue.rateLimit(until) : undefined,
      ]);
    },
    ...createPacer(
      redis,
      { schedule: keys.pacer, learnt: keys.learntPace, pause: keys.pause, recent429: keys.recent429 },
      createsPerSecond,
    ),
  };
}

/**
 * Starts a worker process's share of the queue: each job creates its task (idempotency key
 * checkpointed in the job's data before the POST, task id right after) and waits for it with
 * the batch's shared poller (≤ 50 tasks a read). A job whose worker died is resumed by another
 * on the same task, never created again. 429 pauses every worker of the queue; 400/402/403 and
 * failed tasks are dead letters; transient errors are retried by BullMQ with backoff.
 *
 * @example
 * ```ts
 * import { createVideoRetalk } from "@videoretalk/core";
 * const worker = await createLipSyncWorker({ client: createVideoRetalk(), redis: "redis://127.0.0.1:6379" });
 * process.once("SIGTERM", () => void worker.close());
 * ```
 * @throws {ValidationError} for bad options (`redis`, `concurrency`, `poll: false` without `callbacks` …).
 * @throws {RedisUnavailableError} when Redis cannot be reached or is older than 6.2.
 */
export async function createLipSyncWorker(options: LipSyncWorkerOptions): Promise<LipSyncWorker> {
  const connection = typeof options.redis === "string" ? redisConnection(options.redis) : options.redis;
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const prefix = options.prefix ?? DEFAULT_KEY_PREFIX;
  const { concurrency, maxCreates } = checkOptions(options);
  await checkRedis(connection);
  const onError = options.onError ?? ((error: unknown) => console.error(error));
  const clock = options.clock ?? systemClock;
  const shutdown = new AbortController();
  // Every waiting job listens to it: hundreds by design.
  setMaxListeners(0, shutdown.signal);

  const poller = createPoller(options, clock, shutdown.signal, onError);
  const waiter = createJobWaiter(poller, shutdown.signal);
  const keys = callbackKeys(prefix, queueName);
  const callbacks = options.callbacks ? await listenForCallbacks(connection, keys, waiter.deliver) : undefined;
  const queue = new Queue(queueName, { connection, prefix });
  const redis = new Redis(connection);
  redis.on("error", onError);

  const ctx: JobContext = {
    client: options.client,
    waiter,
    createGate: createCreateGate(
      maxCreates,
      sharedPause(redis, queue, keys, options.createsPerSecond),
      clock,
      Math.random,
    ),
    callbackUrl: options.callbacks
      ? await callbackUrl(options.callbacks.baseUrl, { secret: options.callbacks.secret })
      : undefined,
    lookupDelivered: callbacks?.lookup,
    expectTask: callbacks ? (taskId, jobId) => expectTask(redis, keys, taskId, jobId) : undefined,
    forgetTask: callbacks ? (taskId) => forgetTask(redis, keys, taskId) : undefined,
    shutdown: shutdown.signal,
    now: () => clock.now(),
    onEvent: options.onEvent,
  };
  const worker = new Worker<LipSyncJobData, LipSyncJobResult>(
    queueName,
    (job, token) => processLipSyncJob(job, token, ctx),
    {
      connection,
      prefix,
      // Raised by fetch-ahead as jobs start waiting (up to `concurrency`).
      concurrency: Math.min(concurrency, fetchLookahead(maxCreates)),
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      maxStalledCount: options.maxStalledCount ?? DEFAULT_MAX_STALLED_COUNT,
    },
  );
  ctx.fetchAhead = createFetchAhead(worker, concurrency, fetchLookahead(maxCreates), shutdown.signal);
  worker.on("error", onError);
  await worker.waitUntilReady();

  let closing: Promise<void> | undefined;
  return {
    worker,
    get reads() {
      return poller?.reads ?? 0;
    },
    close() {
      closing ??= (async () => {
        // Stop fetching first, then wake every wait: each job checkpoints and goes back.
        const stopped = worker.close();
        shutdown.abort(new Error("The worker is shutting down."));
        await stopped;
        await Promise.all([queue.close(), callbacks?.close(), redis.quit().catch(() => redis.disconnect())]);
      })();
      return closing;
    },
  };
}
