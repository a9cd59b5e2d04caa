import { ValidationError } from "@videoretalk/core";

/** The ioredis options this package derives from a Redis URL. */
export interface RedisConnectionOptions {
  host: string;
  port: number;
  username?: string | undefined;
  password?: string | undefined;
  db?: number | undefined;
  tls?: Record<string, never> | undefined;
  /** BullMQ workers block on Redis; ioredis must never give up on a queued command. */
  maxRetriesPerRequest: null;
}

/**
 * Turns `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS) into ioredis options.
 *
 * @example
 * ```ts
 * redisConnection("rediss://default:s3cret@redis.example.com:6380/2");
 * // { host: "redis.example.com", port: 6380, username: "default", password: "s3cret", db: 2, tls: {}, … }
 * ```
 * @throws {ValidationError} with `field: "redis"` for anything else.
 */
export function redisConnection(url: string): RedisConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError("redis", "redis must be a URL such as redis://127.0.0.1:6379 (or rediss:// for TLS).");
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new ValidationError("redis", `redis must start with redis:// or rediss://, got ${parsed.protocol}//.`);
  }
  if (parsed.hostname === "") throw new ValidationError("redis", "redis needs a host, e.g. redis://127.0.0.1:6379.");
  const dbText = parsed.pathname.replace(/^\//, "");
  if (dbText !== "" && !/^\d+$/.test(dbText)) {
    throw new ValidationError("redis", `redis: the path must be a database number, got /${dbText}.`);
  }
  const options: RedisConnectionOptions = {
    host: parsed.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: parsed.port === "" ? 6379 : Number(parsed.port),
    maxRetriesPerRequest: null,
  };
  if (parsed.username) options.username = decodeURIComponent(parsed.username);
  if (parsed.password) options.password = decodeURIComponent(parsed.password);
  if (dbText !== "") options.db = Number(dbText);
  if (parsed.protocol === "rediss:") options.tls = {};
  return options;
}

/** The URL with any password replaced, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(invalid redis URL)";
  }
}
