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
  /** Hash of the tasks jobs wait on (task id → job id): the receiver accepts deliveries for these only. */
  expected: string;
  /** A 429 seen under a known rate within the last create interval (`SET NX PX`): the next one is not stray. */
  recent429: string;
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
    expected: `${base}:expected-tasks`,
    recent429: `${base}:recent-429`,
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

/**
 * Records that job `jobId` waits on `taskId`, so the receiver accepts its deliveries. Written
 * when the task id is checkpointed (and again when a job resumes on it); removed when the job ends.
 */
export async function expectTask(redis: Redis, keys: CallbackKeys, taskId: string, jobId: string): Promise<void> {
  await redis.hset(keys.expected, taskId, jobId);
}

/** The job ended: its task's deliveries are no longer wanted. */
export async function forgetTask(redis: Redis, keys: CallbackKeys, taskId: string): Promise<void> {
  await redis.hdel(keys.expected, taskId);
}

/** True when a job of the queue waits on `taskId`. */
export async function isExpectedTask(redis: Redis, keys: CallbackKeys, taskId: string): Promise<boolean> {
  return (await redis.hexists(keys.expected, taskId)) === 1;
}
