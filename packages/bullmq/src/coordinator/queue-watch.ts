import { QueueEvents } from "bullmq";
import type { RedisConnectionOptions } from "../connection.js";

/** A finished job reported by the queue: completed or failed (dead letter, or out of attempts). */
export type FinishedListener = (jobId: string) => void;
/** A job's progress (the worker reports `{ state: "created", taskId }`). */
export type ProgressListener = (jobId: string, data: unknown) => void;

// A safety net under the event stream: events published between the coordinator's first scan
// and its subscription, or while Redis reconnects, would otherwise be missed.
export const RESCAN_INTERVAL_MS = 5_000;

/** Subscribes to the queue's events; resolves once the subscription is live. */
export async function watchQueue(
  queueName: string,
  connection: RedisConnectionOptions,
  prefix: string,
  onFinished: FinishedListener,
  onProgress: ProgressListener,
): Promise<QueueEvents> {
  const events = new QueueEvents(queueName, { connection, prefix });
  events.on("completed", ({ jobId }) => onFinished(jobId));
  events.on("failed", ({ jobId }) => onFinished(jobId));
  events.on("progress", ({ jobId, data }) => onProgress(jobId, data));
  events.on("error", () => {
    // ioredis reconnects by itself; the rescan covers what was missed meanwhile.
  });
  await events.waitUntilReady();
  return events;
}
