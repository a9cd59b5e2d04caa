import { join, resolve } from "node:path";
import {
  DEFAULT_JOURNAL_NAME,
  exitCodeOf,
  JobInputsChangedError,
  JournalCorruptError,
  JournalLockedError,
  ManifestError,
  readManifest,
} from "@videoretalk/batch";
import {
  DEFAULT_QUEUE_NAME,
  RedisUnavailableError,
  redactRedisUrl,
  redisConnection,
  runQueuedBatch,
} from "@videoretalk/bullmq";
import { chooseBatchProgress } from "../batch-progress.js";
import { jsonSummary, shellQuote, textSummary } from "../batch-summary.js";
import { allowsPrivateResults, clientFromFlags } from "../client-from-flags.js";
import { ExitCode, type ExitCodeValue } from "../exit-codes.js";
import { formatDuration } from "../format.js";
import type { CliIO } from "../io.js";
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
  if (flags.json) args.push("--json");
  return args.map(shellQuote).join(" ");
}

function usageProblem(error: unknown): string | undefined {
  if (error instanceof ManifestError || error instanceof JobInputsChangedError) return error.message;
  if (error instanceof JournalLockedError || error instanceof JournalCorruptError) return error.message;
  if (error instanceof UsageError) return error.message;
  return undefined;
}

function checkFlags(flags: BatchRedisFlags): void {
  for (const [key, flag] of LOCAL_ONLY_FLAGS) {
    if (flags[key] !== undefined && flags[key] !== false) throw new UsageError(`${flag} does not apply with --redis.`);
  }
  try {
    redisConnection(flags.redis);
  } catch (error) {
    throw new UsageError(`--redis: ${(error as Error).message.replace(/^redis:? ?/, "")}`);
  }
}

/**
 * `videoretalk batch <manifest> --out-dir <dir> --redis <url>`: validates the manifest, uploads
 * local inputs, enqueues every job the queue does not have yet (a re-run enqueues nothing twice),
 * shows progress from the queue's events and downloads each result into the out-dir as it
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
  try {
    checkFlags(flags);
    const outDir = resolve(io.cwd, flags.outDir);
    const jobs = await readManifest(resolve(io.cwd, manifest), { outDir }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new UsageError(`no such manifest: ${manifest}`);
      throw error;
    });
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
        journal: flags.journal === undefined ? join(outDir, DEFAULT_JOURNAL_NAME) : resolve(io.cwd, flags.journal),
        signal: io.signal,
        allowPrivateNetwork: allowsPrivateResults(flags, io),
        onEvent: (event) => view.event(event),
      });
    } finally {
      view.stop();
    }
    const code = exitCodeOf(summary) as ExitCodeValue;
    const resume =
      code === ExitCode.ApiOrNetwork || code === ExitCode.Interrupted ? resumeCommand(manifest, flags) : undefined;
    if (json) io.stdout.write(jsonSummary(summary, code, resume));
    else {
      io.stdout.write(textSummary(summary, formatDuration(Date.now() - started)));
      if (resume) io.stderr.write(`resume with: ${terminalSafe(resume)}\n`);
    }
    return code;
  } catch (error) {
    if (error instanceof RedisUnavailableError) {
      if (json)
        io.stdout.write(
          `${JSON.stringify({ error: { name: error.name, message: error.message }, exitCode: ExitCode.ApiOrNetwork })}\n`,
        );
      else io.stderr.write(`error: ${terminalSafe(error.message)}\n`);
      return ExitCode.ApiOrNetwork;
    }
    const problem = usageProblem(error);
    if (problem === undefined) return reportError(error, io, { json, beforeSending: true });
    if (json) {
      const problems = error instanceof ManifestError ? error.problems : undefined;
      const name = error instanceof Error ? error.name : "UsageError";
      io.stdout.write(`${JSON.stringify({ error: { name, message: problem, problems }, exitCode: ExitCode.Usage })}\n`);
    } else {
      for (const [index, line] of problem.split("\n").entries()) {
        io.stderr.write(`${index === 0 ? "error: " : ""}${terminalSafe(line)}\n`);
      }
    }
    return ExitCode.Usage;
  }
}
