import { redisConnection } from "@videoretalk/bullmq";
import { UsageError } from "./report-error.js";

/**
 * Checks `--redis` before anything connects: a URL Redis cannot use is a usage error (exit 2)
 * that names the flag, not a connection failure.
 */
export function checkRedisFlag(url: string): void {
  try {
    redisConnection(url);
  } catch (error) {
    throw new UsageError(`--redis: ${(error as Error).message.replace(/^redis:? ?/, "")}`);
  }
}
