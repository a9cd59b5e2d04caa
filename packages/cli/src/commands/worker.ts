import { createLipSyncWorker, RedisUnavailableError, redactRedisUrl, type WorkerEvent } from "@videoretalk/bullmq";
import { clientFromFlags } from "../client-from-flags.js";
import { ExitCode, type ExitCodeValue } from "../exit-codes.js";
import type { CliIO } from "../io.js";
import { printFailure } from "../print-failure.js";
import { reportError, UsageError } from "../report-error.js";
import { terminalSafe } from "../terminal-text.js";
import { parseWorkerFlags, type WorkerFlags, type WorkerSettings } from "./worker-flags.js";
import { type RunningWebhook, startWebhookReceiver } from "./worker-webhook.js";

export type { WorkerFlags } from "./worker-flags.js";

function describe(event: WorkerEvent): string {
  switch (event.type) {
    case "created":
      return `${event.jobId}: created ${event.taskId}${event.resumed ? " (same idempotency key as before)" : ""}`;
    case "resumed":
      return `${event.jobId}: waiting on ${event.taskId} (resumed; not created again)`;
    case "rate-limited":
      return event.queuePaused
        ? `${event.jobId}: 429 — every worker of the queue pauses ${Math.ceil(event.delayMs)} ms`
        : `${event.jobId}: 429 — sent again in ${Math.ceil(event.delayMs)} ms (the known rate's schedule goes on)`;
    case "completed":
      return `${event.jobId}: completed ${event.taskId}${event.via === "callback" ? " (from its callback)" : ""}`;
    case "dead-letter":
      return `${event.jobId}: failed for good (${event.error.code}: ${event.error.message})`;
    case "released":
      return `${event.jobId}: checkpointed and returned to the queue`;
  }
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

/** What the worker prints when it starts: queue, Redis (password masked), pace and callbacks. */
function startLine(flags: WorkerFlags, settings: WorkerSettings, webhook: RunningWebhook | undefined): string {
  const parts = [
    `worker on queue ${settings.queueName} at ${redactRedisUrl(flags.redis)} (up to ${settings.concurrency} jobs`,
  ];
  if (settings.createsPerSecond !== undefined) parts.push(`, ${settings.createsPerSecond} creates/s across the queue`);
  parts.push(")");
  if (settings.callbacks) parts.push(`; callbacks to ${settings.callbacks.baseUrl}`);
  if (webhook) parts.push(`; webhook receiver on ${webhook.url}`);
  parts.push("; SIGTERM or Ctrl-C stops it");
  return parts.join("");
}

/**
 * `videoretalk worker`: processes the queue's lip-sync jobs until SIGTERM or Ctrl-C, then stops
 * taking jobs, lets creates in flight finish and checkpoint their task ids, returns every waiting
 * job to the queue (another worker resumes it on the same task) and exits: 0 after SIGTERM, 130
 * after Ctrl-C. With `--callback-base-url`, tasks get a signed `callback_url` (secret from
 * `VR_WEBHOOK_SECRET`); with `--webhook-port`, this worker also runs the receiver that turns
 * deliveries into finished jobs for every worker of the queue.
 */
export async function runWorkerCommand(flags: WorkerFlags, io: CliIO): Promise<ExitCodeValue> {
  const json = flags.json === true;
  const log = (line: string) => {
    if (!json) io.stderr.write(`${terminalSafe(line)}\n`);
  };
  const warn = (error: unknown) => log(`warning: ${(error as Error)?.message ?? String(error)}`);
  let webhook: RunningWebhook | undefined;
  try {
    const settings = await parseWorkerFlags(flags, io.env);
    const client = clientFromFlags(flags, io);
    const stop = stopRequested(io);
    // The receiver first: a callback for a task this worker creates can arrive at once.
    if (settings.webhook && settings.callbacks) {
      try {
        webhook = await startWebhookReceiver({
          client,
          redis: flags.redis,
          queueName: settings.queueName,
          secret: settings.callbacks.secret,
          ...settings.webhook,
          onError: warn,
        });
      } catch (error) {
        const { host, port } = settings.webhook;
        throw new UsageError(`--webhook-port: cannot listen on ${host}:${port} (${(error as Error).message}).`);
      }
      if (json) io.stdout.write(`${JSON.stringify({ type: "webhook-listening", url: webhook.url })}\n`);
    }
    const worker = await createLipSyncWorker({
      client,
      redis: flags.redis,
      queueName: settings.queueName,
      concurrency: settings.concurrency,
      createsPerSecond: settings.createsPerSecond,
      callbacks: settings.callbacks,
      onEvent: (event) => (json ? io.stdout.write(`${JSON.stringify(event)}\n`) : log(describe(event))),
      onError: warn,
    });
    log(startLine(flags, settings, webhook));
    const signal = await stop;
    log("stopping: no new jobs; checkpointing the jobs in flight …");
    await worker.close();
    await webhook?.close();
    log("stopped: every job in flight is checkpointed and back in the queue");
    return signal === "SIGINT" ? ExitCode.Interrupted : ExitCode.Done;
  } catch (error) {
    await webhook?.close();
    if (error instanceof UsageError) return printFailure(error, ExitCode.Usage, io, json);
    if (error instanceof RedisUnavailableError) return printFailure(error, ExitCode.ApiOrNetwork, io, json);
    return reportError(error, io, { json, beforeSending: true });
  }
}
