import type { VideoRetalkClient } from "@videoretalk/core";
import { createWebhookHandler, type FetchHandler, type WebhookStore } from "@videoretalk/server";
import { Redis } from "ioredis";
import { callbackKeys, publishDeliveredTask } from "./callback-channel.js";
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
  /** `"refetch"` re-reads each delivered task with `client` before trusting it. Default `"token"`. */
  verify?: "token" | "refetch" | undefined;
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

/** Dedupes deliveries across every receiver instance: `SET NX PX` in the same Redis. */
function redisWebhookStore(redis: Redis, dedupeKey: (key: string) => string): WebhookStore {
  return {
    claim: async (key, ttlMs) => (await redis.set(dedupeKey(key), "claimed", "PX", ttlMs, "NX")) === "OK",
    complete: async (key, ttlMs) => {
      await redis.set(dedupeKey(key), "delivered", "PX", ttlMs);
    },
    isDelivered: async (key) => (await redis.get(dedupeKey(key))) === "delivered",
    release: async (key) => {
      await redis.del(dedupeKey(key));
    },
  };
}

/**
 * The receiver for `callback_url` deliveries, built on `createWebhookHandler`: each verified
 * terminal task is stored in Redis and published, and the worker waiting on it completes the job
 * without another read. Polling stays on as the fallback (the API tries a callback only 4 times).
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * import { toNodeHandler } from "@videoretalk/server/node";
 * const receiver = createCallbackReceiver({ redis: "redis://127.0.0.1:6379", secret: process.env.VR_WEBHOOK_SECRET! });
 * createServer(toNodeHandler(receiver.handler)).listen(8080);
 * ```
 */
export function createCallbackReceiver(options: CallbackReceiverOptions): CallbackReceiver {
  const connection = typeof options.redis === "string" ? redisConnection(options.redis) : options.redis;
  const keys = callbackKeys(options.prefix ?? DEFAULT_KEY_PREFIX, options.queueName ?? DEFAULT_QUEUE_NAME);
  const redis = new Redis({ ...connection, lazyConnect: false });
  // A failed store or publish is answered 500 (the API retries); connection errors reconnect.
  redis.on("error", () => {});
  const handler = createWebhookHandler({
    secret: options.secret as string | string[],
    verify: options.verify,
    client: options.client,
    onError: options.onError,
    store: redisWebhookStore(redis, keys.dedupe),
    onTask: (task) => publishDeliveredTask(redis, keys, task),
  });
  return {
    handler,
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
