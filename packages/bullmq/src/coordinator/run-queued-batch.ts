import { setMaxListeners } from "node:events";
import { mkdir } from "node:fs/promises";
import {
  type BatchJob,
  type BatchSummary,
  emptySnapshot,
  inputFingerprint,
  inputsChanged,
  JobInputsChangedError,
  type JobOutcome,
  outputIsValid,
  outputPathFor,
  snapshotsFrom,
  summaryOf,
} from "@videoretalk/batch";
import type { Job } from "bullmq";
import { checkRedis } from "../check-redis.js";
import { type RedisConnectionOptions, redisConnection } from "../connection.js";
import { DEFAULT_KEY_PREFIX, DEFAULT_QUEUE_NAME } from "../defaults.js";
import type { LipSyncJobData, LipSyncJobResult } from "../job-data.js";
import { knownJobIds } from "../known-jobs.js";
import { createLipSyncProducer, type EnqueueEntry } from "../producer.js";
import { createSemaphore } from "../semaphore.js";
import { collectResult } from "./collect-result.js";
import { openStore } from "./journal-store.js";
import { RESCAN_INTERVAL_MS, watchQueue } from "./queue-watch.js";
import { type RunState, record } from "./run-state.js";
import type { QueuedBatchOptions, UploadClient } from "./types.js";
import { uploadInputs } from "./upload-inputs.js";

/** Journal side: refuse changed inputs, plan new jobs, keep results already on disk. */
async function planJobs(run: RunState, jobs: BatchJob[]): Promise<void> {
  const changed = jobs.filter((job) => inputsChanged(job, run.snapshots.get(job.id))).map((job) => job.id);
  if (changed.length > 0) throw new JobInputsChangedError(changed);
  // All at once: the journal writes concurrent appends with one fsync (group commit).
  await Promise.all(
    jobs
      .filter((job) => !run.snapshots.has(job.id))
      .map((job) => record(run, { job: job.id, at: Date.now(), step: "planned", fingerprint: inputFingerprint(job) })),
  );
  for (const job of jobs) {
    const snapshot = run.snapshots.get(job.id);
    if (!snapshot || snapshot.state === "planned") continue;
    if (snapshot.output && (await outputIsValid(snapshot.output))) {
      run.outcomes.set(job.id, {
        id: job.id,
        status: "downloaded",
        task_id: snapshot.taskId,
        output: snapshot.output,
        error: undefined,
      });
      run.pending.delete(job.id);
      run.emit({ type: "job", job: job.id, state: "downloaded", taskId: snapshot.taskId, resumed: true });
    }
  }
}

/** Uploads of local inputs at once (each job's files; one upload per distinct path). */
const UPLOAD_CONCURRENCY = 4;

/** Queue side: upload and enqueue every pending job the queue does not know yet. */
async function enqueueMissing(run: RunState, client: UploadClient, connection: RedisConnectionOptions): Promise<void> {
  const ids = [...run.pending];
  const known = await knownJobIds(run.queue, ids);
  const uploads = new Map<string, Promise<string>>();
  const slots = createSemaphore(UPLOAD_CONCURRENCY);
  const missing = ids.filter((id) => !known.has(id));
  const entries: EnqueueEntry[] = await Promise.all(
    missing.map(async (id) => {
      const done = await slots.acquire(run.signal);
      try {
        const job = run.jobs.get(id) as BatchJob;
        const snapshot = run.snapshots.get(id) ?? emptySnapshot(id);
        const { urls, uploadedNow } = await uploadInputs(client, job, snapshot, uploads, run.signal);
        if (Object.keys(uploadedNow).length > 0) {
          await record(run, { job: id, at: Date.now(), step: "uploaded", urls: uploadedNow });
          run.emit({ type: "job", job: id, state: "uploaded" });
        }
        return { job, uploaded: urls, uploadedAt: run.snapshots.get(id)?.uploadedAt };
      } finally {
        done();
      }
    }),
  );
  const producer = createLipSyncProducer({
    redis: connection,
    queueName: run.options.queueName,
    prefix: run.options.prefix,
    attempts: run.options.attempts,
    backoffMs: run.options.backoffMs,
  });
  try {
    const { added } = await producer.enqueue(entries);
    for (const id of added) run.emit({ type: "job", job: id, state: "planned" });
  } finally {
    await producer.close();
  }
}

/** Looks at every pending job's state and collects the finished ones. */
async function rescan(run: RunState): Promise<void> {
  const ids = [...run.pending].filter((id) => !run.collecting.has(id));
  const states = await Promise.all(ids.map((id) => run.queue.getJobState(id)));
  await Promise.all(
    ids.map((id, index) =>
      states[index] === "completed" || states[index] === "failed" ? collect(run, id) : Promise.resolve(),
    ),
  );
}

async function collect(run: RunState, jobId: string): Promise<void> {
  if (!run.pending.has(jobId) || run.collecting.has(jobId)) return;
  run.collecting.add(jobId);
  try {
    const job = (await run.queue.getJob(jobId)) as Job<LipSyncJobData, LipSyncJobResult> | undefined;
    if (job && (await collectResult(run, job))) run.pending.delete(jobId);
  } catch (error) {
    if (!run.signal.aborted)
      run.emit({ type: "read-error", message: (error as Error).message, retryInMs: RESCAN_INTERVAL_MS });
  } finally {
    run.collecting.delete(jobId);
    if (run.pending.size === 0) run.settled();
  }
}

function summarize(run: RunState, order: BatchJob[], interrupted: boolean): BatchSummary {
  const jobs = order.map(
    (job): JobOutcome =>
      run.outcomes.get(job.id) ?? {
        id: job.id,
        status: "unfinished",
        task_id: run.snapshots.get(job.id)?.taskId,
        output: undefined,
        error: undefined,
      },
  );
  const creditsReserved = order.reduce((sum, job) => sum + (run.snapshots.get(job.id)?.creditsReserved ?? 0), 0);
  // Creates and reads happen in the workers; their counters are not this process's to report.
  return summaryOf(jobs, { creditsReserved, createCalls: 0, taskReads: 0, rateLimited: 0 }, interrupted);
}

/**
 * `videoretalk batch --redis`: runs a batch through a BullMQ queue instead of in this process.
 * Uploads local inputs (workers only get URLs), enqueues every job the queue does not have yet
 * (the job id is the BullMQ `jobId`, so a re-run enqueues nothing twice), follows the queue's
 * events, and downloads each result into `outDir` as it completes, checksummed into the local
 * batch's journal. Stop it at any time (`signal`) and run it again: it resumes.
 *
 * @example
 * ```ts
 * const jobs = await readManifest("./catalogue.csv", { outDir: "./dubbed" });
 * const summary = await runQueuedBatch(client, jobs, { redis: "redis://127.0.0.1:6379", outDir: "./dubbed" });
 * ```
 * @throws {JobInputsChangedError} when the journal knew a job id with other inputs.
 * @throws {RedisUnavailableError} when Redis cannot be reached or is older than 6.2.
 */
export async function runQueuedBatch(
  client: UploadClient,
  jobs: BatchJob[],
  options: QueuedBatchOptions,
): Promise<BatchSummary> {
  const connection = typeof options.redis === "string" ? redisConnection(options.redis) : options.redis;
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const prefix = options.prefix ?? DEFAULT_KEY_PREFIX;
  await checkRedis(connection);
  await mkdir(options.outDir, { recursive: true });
  const { store, owned } = await openStore(options.journal, options.outDir);
  const stop = new AbortController();
  // Each download in flight or queued listens to it.
  setMaxListeners(0, stop.signal);
  const onAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  const producerQueue = createLipSyncProducer({ redis: connection, queueName, prefix });
  let settled!: () => void;
  const done = new Promise<void>((resolve) => {
    settled = resolve;
  });
  const run: RunState = {
    options,
    store,
    snapshots: snapshotsFrom(await store.load()),
    jobs: new Map(jobs.map((job) => [job.id, { ...job, out: outputPathFor(job, options.outDir) }])),
    outcomes: new Map(),
    pending: new Set(jobs.map((job) => job.id)),
    collecting: new Set(),
    queue: producerQueue.queue,
    downloads: createSemaphore(options.downloadConcurrency ?? 4),
    signal: stop.signal,
    emit: options.onEvent ?? (() => {}),
    settled,
  };
  const events = await watchQueue(
    queueName,
    connection,
    prefix,
    (jobId) => void collect(run, jobId),
    (jobId, data) => {
      const taskId = (data as { taskId?: unknown } | null)?.taskId;
      if (run.pending.has(jobId))
        run.emit({
          type: "job",
          job: jobId,
          state: "created",
          taskId: typeof taskId === "string" ? taskId : undefined,
        });
    },
  );
  let timer: ReturnType<typeof setInterval> | undefined;
  try {
    await planJobs(run, jobs);
    if (run.pending.size > 0 && !stop.signal.aborted) {
      await enqueueMissing(run, client, connection);
      timer = setInterval(() => void rescan(run).catch(() => {}), RESCAN_INTERVAL_MS);
      await rescan(run);
      const aborted = new Promise<void>((resolve) =>
        stop.signal.addEventListener("abort", () => resolve(), { once: true }),
      );
      if (run.pending.size > 0) await Promise.race([done, aborted]);
    }
    return summarize(run, jobs, stop.signal.aborted && run.pending.size > 0);
  } finally {
    clearInterval(timer);
    options.signal?.removeEventListener("abort", onAbort);
    await Promise.allSettled([events.close(), producerQueue.close()]);
    if (owned) await store.close();
  }
}
