import {
  createLipSyncWorker,
  DEFAULT_CONCURRENCY,
  DEFAULT_QUEUE_NAME,
  RedisUnavailableError,
  redactRedisUrl,
  type WorkerEvent,
} from "@videoretalk/bullmq";
import { type ConnectionFlags, clientFromFlags } from "../client-from-flags.js";
import { ExitCode, type ExitCodeValue } from "../exit-codes.js";
import type { CliIO } from "../io.js";
import { printFailure } from "../print-failure.js";
import { checkRedisFlag } from "../redis-flag.js";
import { reportError, UsageError } from "../report-error.js";
import { terminalSafe } from "../terminal-text.js";

/** `videoretalk worker --redis <url> [--queue <name>] [--concurrency <n>]`. */
export interface WorkerFlags extends ConnectionFlags {
  redis: string;
  queue?: string;
  concurrency?: string;
  json?: boolean;
}

function describe(event: WorkerEvent): string {
  switch (event.type) {
    case "created":
      return `${event.jobId}: created ${event.taskId}${event.resumed ? " (same idempotency key as before)" : ""}`;
    case "resumed":
      return `${event.jobId}: waiting on ${event.taskId} (resumed; not created again)`;
    case "rate-limited":
      return `${event.jobId}: 429 — every worker of the queue pauses ${Math.ceil(event.delayMs)} ms`;
    case "completed":
      return `${event.jobId}: completed ${event.taskId}`;
    case "dead-letter":
      return `${event.jobId}: failed for good (${event.error.code}: ${event.error.message})`;
    case "released":
      return `${event.jobId}: checkpointed and returned to the queue`;
  }
}

function parseConcurrency(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new UsageError(`--concurrency must be a positive integer, got "${value}".`);
  }
  return Number(value);
}

/** Resolves with the signal that asked the worker to stop: Ctrl-C (io.signal) or SIGTERM. */
function stopRequested(io: CliIO): Promise<"SIGINT" | "SIGTERM"> {
  return new Promise((resolve) => {
    const onTerm = () => resolve("SIGTERM");
    process.once("SIGTERM", onTerm);
    const onInt = () => {
      process.off("SIGTERM", onTerm);
      resolve("SIGINT");
    };
    if (io.signal.aborted) onInt();
    else io.signal.addEventListener("abort", onInt, { once: true });
  });
}

/**
 * `videoretalk worker`: processes the queue's lip-sync jobs until SIGTERM or Ctrl-C, then stops
 * taking jobs, lets creates in flight finish and checkpoint their task ids, returns every waiting
 * job to the queue (another worker resumes it on the same task) and exits: 0 after SIGTERM, 130
 * after Ctrl-C.
 */
export async function runWorkerCommand(flags: WorkerFlags, io: CliIO): Promise<ExitCodeValue> {
  const json = flags.json === true;
  const log = (line: string) => {
    if (!json) io.stderr.write(`${terminalSafe(line)}\n`);
  };
  try {
    const concurrency = parseConcurrency(flags.concurrency);
    checkRedisFlag(flags.redis);
    const client = clientFromFlags(flags, io);
    const queueName = flags.queue ?? DEFAULT_QUEUE_NAME;
    const stop = stopRequested(io);
    const worker = await createLipSyncWorker({
      client,
      redis: flags.redis,
      queueName,
      concurrency,
      onEvent: (event) => (json ? io.stdout.write(`${JSON.stringify(event)}\n`) : log(describe(event))),
      onError: (error) => log(`warning: ${(error as Error)?.message ?? String(error)}`),
    });
    log(
      `worker on queue ${queueName} at ${redactRedisUrl(flags.redis)} (up to ${concurrency} jobs); SIGTERM or Ctrl-C stops it`,
    );
    const signal = await stop;
    log("stopping: no new jobs; checkpointing the jobs in flight …");
    await worker.close();
    log("stopped: every job in flight is checkpointed and back in the queue");
    return signal === "SIGINT" ? ExitCode.Interrupted : ExitCode.Done;
  } catch (error) {
    if (error instanceof UsageError) return printFailure(error, ExitCode.Usage, io, json);
    if (error instanceof RedisUnavailableError) return printFailure(error, ExitCode.ApiOrNetwork, io, json);
    return reportError(error, io, { json, beforeSending: true });
  }
}
