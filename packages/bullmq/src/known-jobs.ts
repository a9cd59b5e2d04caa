import type { Queue } from "bullmq";
import type { Redis } from "ioredis";

/**
 * Which of `ids` the queue already holds (waiting, running, delayed, done or failed), from one
 * pipelined `EXISTS` per job hash: one round trip for a thousand jobs, where asking BullMQ for
 * each job's state runs a script per job. Finished jobs are kept (`removeOnComplete: false`), so
 * a job's hash lives exactly as long as the queue knows the job.
 */
export async function knownJobIds(queue: Queue, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  // BullMQ's own connection is an ioredis client (its typings only promise its own subset).
  const client = (await queue.backend.client) as unknown as Redis;
  const pipeline = client.pipeline();
  for (const id of ids) pipeline.exists(queue.toKey(id));
  const results = (await pipeline.exec()) ?? [];
  const known = new Set<string>();
  results.forEach(([error, count], index) => {
    if (error) throw error;
    if (Number(count) > 0) known.add(ids[index] as string);
  });
  return known;
}
