import { sleep, systemClock, type VideoRetalkClient } from "@videoretalk/core";
import { createWebhookHandler, type FetchHandler, type WebhookStore } from "@videoretalk/server";
import { Redis } from "ioredis";
import { type CallbackKeys, callbackKeys, isExpectedTask, publishDeliveredTask } from "./callback-channel.js";
import { type RedisConnectionOptions, redisConnection } from "./connection.js";
import { DEFAULT_KEY_PREFIX, DEFAULT_QUEUE_NAME } from "./defaults.js";

/** Options of {@link createCallbackReceiver}. */
export interface CallbackReceiverOptions {
  /** Redis URL (`redis://`, `rediss://` for TLS) or ioredis options. */
  redis: string | RedisConnectionOptions;
  /** Queue whose workers wait for the tasks. Default `videoretalk`. */
  queueName?: string | undefined;
  /** BullMQ key prefix. Default `bull`. */
  prefix?: string | undefined;
  /** The secret the workers' `callback_url`s were signed with (see `callbackUrl()` in @videoretalk/server). */
  secret: string | readonly string[];
  /**
   * `"refetch"` re-reads each delivered task with `client` and acts only on the API's version of
   * it; `"token"` trusts any body sent to a signed URL. Default: `"refetch"` when `client` is
   * given, else `"token"`.
   */
  verify?: "token" | "refetch" | undefined;
  /** A `createVideoRetalk()` client (the workers' key): needed for `"refetch"`. */
  client?: Pick<VideoRetalkClient, "tasks"> | undefined;
  /** Receives errors of the handler (Redis down, a refetch that failed). Default `console.error`. */
  onError?: ((error: unknown, request: Request) => void) | undefined;
}

/** A webhook endpoint that completes waiting jobs; mount `handler`, call `close()` on shutdown. */
export interface CallbackReceiver {
  /** A Fetch-API handler (`@videoretalk/server/node`'s `toNodeHandler` adapts it to node:http). */
  handler: FetchHandler;
  close(): Promise<void>;
}

/**
 * Re-checks for a task no job has checkpointed yet, in ms (2 s in all): a task can finish and
 * be delivered in the moment between its create's answer and the worker's checkpoint of its id.
 */
const EXPECT_RECHECKS_MS = [100, 200, 400, 800, 500];

/** A delivery for a task no job of the queue waits on (answered 404; nothing is written). */
class UnexpectedTaskError extends Error {
  override name = "UnexpectedTaskError";
}

/** True once a job of the queue waits on `taskId`, looking again for up to 2 s. */
async function waitUntilExpected(
  redis: Redis,
  keys: CallbackKeys,
  taskId: string,
  signal?: AbortSignal,
): Promise<boolean> {
  if (await isExpectedTask(redis, keys, taskId)) return true;
  for (const ms of EXPECT_RECHECKS_MS) {
    await sleep(systemClock, ms, signal);
    if (await isExpectedTask(redis, keys, taskId)) return true;
  }
  return false;
}

/**
 * Dedupes deliveries across every receiver instance: `SET NX PX` in the same Redis. With `guard`
 * (token mode, where no read comes first), a task no job waits on is never claimed, so forged
 * ids write nothing (the handler answers 409 and the API's retries end after 3).
 */
function redisWebhookStore(
  redis: Redis,
  dedupeKey: (key: string) => string,
  guard?: (taskId: string) => Promise<boolean>,
): WebhookStore {
  return {
    claim: async (key, ttlMs) => {
      if (guard && key.startsWith("task:") && !(await guard(key.slice("task:".length)))) return false;
      return (await redis.set(dedupeKey(key), "claimed", "PX", ttlMs, "NX")) === "OK";
    },
    complete: async (key, ttlMs) => {
      await redis.set(dedupeKey(key), "delivered", "PX", ttlMs);
    },
    isDelivered: async (key) => (await redis.get(dedupeKey(key))) === "delivered",
    release: async (key) => {
      await redis.del(dedupeKey(key));
    },
  };
}

const unknownTask = () =>
  new Response(
    JSON.stringify({
      error: {
        code: "unknown_task",
        message: "No job of this queue waits on the task in this delivery.",
        type: "invalid_request_error",
      },
    }),
    { status: 404, headers: { "content-type": "application/json" } },
  );

/**
 * The receiver for `callback_url` deliveries, built on `createWebhookHandler`: each verified
 * terminal task is stored in Redis and published, and the worker waiting on it completes the job
 * without another read. Polling stays on as the fallback (the API tries a callback only 4 times).
 *
 * Give it `client` (the workers' API key): each delivery is then re-read from the API and only
 * the API's version counts, so whoever learns the URL cannot fail a job or hand it their own
 * result. Only tasks a job of the queue has checkpointed are accepted (others: 404, after up to
 * 2 s for a checkpoint in progress, and nothing is written to Redis or read from the API).
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * import { toNodeHandler } from "@videoretalk/server/node";
 * const receiver = createCallbackReceiver({
 *   redis: "redis://127.0.0.1:6379",
 *   secret: process.env.VR_WEBHOOK_SECRET!,
 *   client: createVideoRetalk(),
 * });
 * createServer(toNodeHandler(receiver.handler)).listen(8080);
 * ```
 */
export function createCallbackReceiver(options: CallbackReceiverOptions): CallbackReceiver {
  const connection = typeof options.redis === "string" ? redisConnection(options.redis) : options.redis;
  const keys = callbackKeys(options.prefix ?? DEFAULT_KEY_PREFIX, options.queueName ?? DEFAULT_QUEUE_NAME);
  const redis = new Redis({ ...connection, lazyConnect: false });
  // A failed store or publish is answered 500 (the API retries); connection errors reconnect.
  redis.on("error", () => {});
  const verify = options.verify ?? (options.client ? "refetch" : "token");
  const userClient = options.client;
  const onError =
    options.onError ?? ((error: unknown) => console.error("[@videoretalk/bullmq] callback delivery failed:", error));
  const unexpected = new WeakSet<Request>();
  // In refetch mode the check runs before the read: an unknown id costs no API request.
  const client =
    verify === "refetch" && userClient
      ? {
          tasks: {
            async get(...[taskId, requestOptions]: Parameters<VideoRetalkClient["tasks"]["get"]>) {
              if (!(await waitUntilExpected(redis, keys, taskId, requestOptions?.signal))) {
                throw new UnexpectedTaskError(`no job waits on task ${taskId}`);
              }
              return userClient.tasks.get(taskId, requestOptions);
            },
          },
        }
      : userClient;
  const inner = createWebhookHandler({
    secret: options.secret as string | string[],
    verify,
    client,
    onError: (error, request) => {
      if (error instanceof UnexpectedTaskError) unexpected.add(request);
      else onError(error, request);
    },
    store: redisWebhookStore(
      redis,
      keys.dedupe,
      verify === "token" ? (taskId) => waitUntilExpected(redis, keys, taskId) : undefined,
    ),
    onTask: (task) => publishDeliveredTask(redis, keys, task),
  });
  return {
    // The handler answers an unknown task as a failed read (502); it is a 404 here: not 2xx, so
    // a genuine early delivery is retried by the API (1, 2, 4 s later), and forged ids end there.
    handler: async (request) => {
      const response = await inner(request);
      return unexpected.has(request) ? unknownTask() : response;
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
