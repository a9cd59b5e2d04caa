import { isTerminalStatus, type Task } from "@videoretalk/core";
import type { Redis } from "ioredis";

/** How long a delivered task is kept in Redis for a worker that was not listening, in seconds (24 h, like result links). */
export const DELIVERED_TASK_TTL_S = 24 * 60 * 60;

/** Where one queue's shared state of this package lives in Redis (callback deliveries, the 429 pause). */
export interface CallbackKeys {
  /** Pub/sub channel: each message is a delivered terminal task (JSON). */
  channel: string;
  /** Key of one delivered task, read by a worker that starts waiting after the delivery. */
  task(taskId: string): string;
  /** Dedupe keys of the webhook handler's store. */
  dedupe(key: string): string;
  /** The queue-wide pause after a 429: every worker's creates wait while it lives. */
  pause: string;
  /** The next free create slot of the queue-wide create schedule. */
  pacer: string;
  /** The spacing between creates learnt from 429s, when no `createsPerSecond` is given. */
  learntPace: string;
}

/**
 * Keys under BullMQ's own prefix and queue name, so one `--queue` / key prefix isolates
 * everything of one deployment.
 */
export function callbackKeys(prefix: string, queueName: string): CallbackKeys {
  const base = `${prefix}:${queueName}:videoretalk`;
  return {
    channel: `${base}:delivered`,
    task: (taskId) => `${base}:task:${taskId}`,
    dedupe: (key) => `${base}:dedupe:${key}`,
    pause: `${base}:pause`,
    pacer: `${base}:next-create`,
    learntPace: `${base}:learnt-pace`,
  };
}

/** Reads a stored or published task back; anything else is ignored. */
export function parseDeliveredTask(text: string | null): Task | undefined {
  if (text === null) return undefined;
  try {
    const task = JSON.parse(text) as Task;
    return typeof task?.id === "string" && isTerminalStatus(task.status) ? task : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stores a delivered task (for waits that start later) and publishes it (for waits in progress),
 * in one MULTI so no worker can see one without the other.
 */
export async function publishDeliveredTask(redis: Redis, keys: CallbackKeys, task: Task): Promise<void> {
  const text = JSON.stringify(task);
  await redis.multi().set(keys.task(task.id), text, "EX", DELIVERED_TASK_TTL_S).publish(keys.channel, text).exec();
}
