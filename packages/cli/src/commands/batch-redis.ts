import { resolve } from "node:path";
import { DEFAULT_QUEUE_NAME, RedisUnavailableError, redactRedisUrl, runQueuedBatch } from "@videoretalk/bullmq";
import { batchPreflightGate } from "../batch-preflight-report.js";
import { chooseBatchProgress } from "../batch-progress.js";
import { manifestLines } from "../batch-row-label.js";
import { batchUsageProblem, journalPath, readBatchManifest, reportBatchOutcome } from "../batch-run-steps.js";
import { shellQuote } from "../batch-summary.js";
import { allowsPrivateResults, clientFromFlags } from "../client-from-flags.js";
import { ExitCode, type ExitCodeValue } from "../exit-codes.js";
import type { CliIO } from "../io.js";
import { printFailure, printUsageProblem } from "../print-failure.js";
import { checkRedisFlag } from "../redis-flag.js";
import { reportError, UsageError } from "../report-error.js";
import { terminalSafe } from "../terminal-text.js";
import type { BatchFlags } from "./batch.js";

/** `videoretalk batch … --redis <url> [--queue <name>]`. */
export interface BatchRedisFlags extends BatchFlags {
  redis: string;
  queue?: string;
}

// These decide how jobs run, which is the workers' business once the jobs are queued.
const LOCAL_ONLY_FLAGS = [
  ["concurrency", "--concurrency (set it on each `videoretalk worker`)"],
  ["maxCredits", "--max-credits"],
  ["retryFailed", "--retry-failed"],
  ["dryRun", "--dry-run"],
] as const;

/** The command that continues this run; the Redis password, if any, is masked. */
function resumeCommand(manifest: string, flags: BatchRedisFlags): string {
  const args = ["videoretalk", "batch", manifest, "--out-dir", flags.outDir, "--redis", redactRedisUrl(flags.redis)];
  if (flags.queue) args.push("--queue", flags.queue);
  if (flags.journal) args.push("--journal", flags.journal);
  if (flags.baseUrl) args.push("--base-url", flags.baseUrl);
  if (flags.filesBaseUrl) args.push("--files-base-url", flags.filesBaseUrl);
  if (flags.check === false) args.push("--no-check");
  if (flags.json) args.push("--json");
  return args.map(shellQuote).join(" ");
}

function checkFlags(flags: BatchRedisFlags): void {
  for (const [key, flag] of LOCAL_ONLY_FLAGS) {
    if (flags[key] !== undefined && flags[key] !== false) throw new UsageError(`${flag} does not apply with --redis.`);
  }
  checkRedisFlag(flags.redis);
}

/**
 * `videoretalk batch <manifest> --out-dir <dir> --redis <url>`: validates the manifest, pre-checks
 * the media of every row still to be created (as the local batch: exit 1 listing refused rows,
 * `--force` goes on, `--no-check` skips it), uploads local inputs, enqueues every job the queue
 * does not have yet (a re-run enqueues nothing twice), shows progress from the queue's events and downloads each result into the out-dir as it
 * completes, checksummed into the journal. Workers (`videoretalk worker`) do the creating and
 * waiting. Exit codes as for the local batch; Ctrl-C stops only this coordinator (130).
 */
export async function runBatchRedisCommand(
  manifest: string,
  flags: BatchRedisFlags,
  io: CliIO,
): Promise<ExitCodeValue> {
  const json = flags.json === true;
  const started = Date.now();
  // Rows are named by manifest line in the summary and in errors, as the local batch names them.
  let lineOf: Map<string, number> | undefined;
  try {
    checkFlags(flags);
    const outDir = resolve(io.cwd, flags.outDir);
    const jobs = await readBatchManifest(manifest, outDir, io);
    lineOf = manifestLines(jobs);
    // The local batch's media pre-check, before anything is uploaded or enqueued: a row the API
    // would refuse is not handed to the workers (exit 1 listing it; --force goes on, --no-check skips).
    const journal = journalPath(outDir, flags.journal, io);
    const refused = await batchPreflightGate(jobs, { outDir, journal }, flags, io);
    if (refused !== undefined) return refused;
    const client = clientFromFlags(flags, io);
    const queueName = flags.queue ?? DEFAULT_QUEUE_NAME;
    if (!json) {
      io.stderr.write(
        `queue ${terminalSafe(queueName)} at ${terminalSafe(redactRedisUrl(flags.redis))}: ${jobs.length} jobs; ` +
          `workers run them (videoretalk worker --redis …); results go to ${terminalSafe(outDir)}\n`,
      );
    }
    const view = chooseBatchProgress(io.stderr, { json, total: jobs.length });
    let summary: Awaited<ReturnType<typeof runQueuedBatch>>;
    try {
      summary = await runQueuedBatch(client, jobs, {
        redis: flags.redis,
        queueName,
        outDir,
        journal,
        signal: io.signal,
        allowPrivateNetwork: allowsPrivateResults(flags, io),
        onEvent: (event) => view.event(event),
      });
    } finally {
      view.stop();
    }
    return reportBatchOutcome(
      summary,
      { started, json, resumeCommand: () => resumeCommand(manifest, flags), lineOf },
      io,
    );
  } catch (error) {
    if (error instanceof RedisUnavailableError) return printFailure(error, ExitCode.ApiOrNetwork, io, json);
    const problem = error instanceof UsageError ? error.message : batchUsageProblem(error, lineOf);
    if (problem === undefined) return reportError(error, io, { json, beforeSending: true });
    return printUsageProblem(problem, error, io, json);
  }
}
