import { Redis } from "ioredis";
import type { RedisConnectionOptions } from "./connection.js";

/** Oldest Redis this package supports (BullMQ's own minimum). */
export const MIN_REDIS_VERSION = "6.2.0";

/** Redis cannot be reached, refused the login, or is older than 6.2. */
export class RedisUnavailableError extends Error {
  override name = "RedisUnavailableError";
}

function older(version: string, than: string): boolean {
  const a = version.split(".").map(Number);
  const b = than.split(".").map(Number);
  for (let index = 0; index < 3; index++) {
    const diff = (a[index] ?? 0) - (b[index] ?? 0);
    if (diff !== 0) return diff < 0;
  }
  return false;
}

/**
 * Connects once, without retrying, and checks the server version, so a wrong URL or a down
 * server fails at once instead of BullMQ reconnecting forever.
 *
 * @throws {RedisUnavailableError} saying what is wrong (never the password).
 */
export async function checkRedis(connection: RedisConnectionOptions, timeoutMs = 10_000): Promise<string> {
  const redis = new Redis({
    ...connection,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  redis.on("error", () => {
    // Reported by connect() below.
  });
  try {
    await redis.connect();
    const info = await redis.info("server");
    const version = /redis_version:([\d.]+)/.exec(info)?.[1] ?? "0";
    if (older(version, MIN_REDIS_VERSION)) {
      throw new RedisUnavailableError(`Redis ${version} is too old: BullMQ needs Redis ≥ ${MIN_REDIS_VERSION}.`);
    }
    return version;
  } catch (error) {
    if (error instanceof RedisUnavailableError) throw error;
    const where = `${connection.tls ? "rediss" : "redis"}://${connection.host}:${connection.port}`;
    throw new RedisUnavailableError(`Cannot use Redis at ${where}: ${(error as Error).message}`, { cause: error });
  } finally {
    redis.disconnect();
  }
}
