import { resolve } from "node:path";
import {
  type BatchJob,
  type BatchSummary,
  describeBatch,
  InsufficientBalanceError,
  runBatch,
} from "@videoretalk/batch";
import { checkBatchRows, jobsCreatedBy } from "../batch-preflight.js";
import { batchPreflightGate, dryRunJson, dryRunTextWithChecks } from "../batch-preflight-report.js";
import { chooseBatchProgress } from "../batch-progress.js";
import { manifestLines } from "../batch-row-label.js";
import { batchUsageProblem, journalPath, readBatchManifest, reportBatchOutcome } from "../batch-run-steps.js";
import { shellQuote } from "../batch-summary.js";
import { allowsPrivateResults, type ConnectionFlags, clientFromFlags } from "../client-from-flags.js";
import { ExitCode, type ExitCodeValue } from "../exit-codes.js";
import type { CliIO } from "../io.js";
import { printFailure, printUsageProblem } from "../print-failure.js";
import { reportError, UsageError } from "../report-error.js";

export interface BatchFlags extends ConnectionFlags {
  outDir: string;
  journal?: string;
  concurrency?: string;
  maxCredits?: string;
  dryRun?: boolean;
  retryFailed?: boolean;
  force?: boolean;
  json?: boolean;
  /** `--no-check` sets this to false: skip the media pre-check. */
  check?: boolean;
}

function positiveInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new UsageError(`${flag} must be a positive integer, got "${value}".`);
  return Number(value);
}

function nonNegativeNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || number < 0)
    throw new UsageError(`${flag} must be a number ≥ 0, got "${value}".`);
  return number;
}

/** The command that continues this run (never with --retry-failed, which would redo failures again). */
export function resumeCommand(manifest: string, flags: BatchFlags): string {
  const args = ["videoretalk", "batch", manifest, "--out-dir", flags.outDir];
  if (flags.journal) args.push("--journal", flags.journal);
  if (flags.concurrency) args.push("--concurrency", flags.concurrency);
  if (flags.maxCredits) args.push("--max-credits", flags.maxCredits);
  if (flags.baseUrl) args.push("--base-url", flags.baseUrl);
  if (flags.filesBaseUrl) args.push("--files-base-url", flags.filesBaseUrl);
  if (flags.check === false) args.push("--no-check");
  if (flags.json) args.push("--json");
  return args.map(shellQuote).join(" ");
}

/** `--dry-run`: the plan, each row's pre-check problems and the billable total. Exit 2 when inputs changed, 1 when a row would be refused. */
async function dryRun(jobs: BatchJob[], flags: BatchFlags, io: CliIO): Promise<ExitCodeValue> {
  const outDir = resolve(io.cwd, flags.outDir);
  const journal = flags.journal === undefined ? undefined : resolve(io.cwd, flags.journal);
  const actions = await describeBatch(jobs, { outDir, journal, retryFailed: flags.retryFailed });
  const found =
    flags.check === false ? undefined : await checkBatchRows(jobsCreatedBy(jobs, actions), { signal: io.signal });
  const force = flags.force === true;
  const lines = manifestLines(jobs);
  io.stdout.write(flags.json ? dryRunJson(actions, found, lines) : dryRunTextWithChecks(actions, found, force, lines));
  if (actions.some((a) => a.inputsChanged)) return ExitCode.Usage;
  return found && found.refused.length > 0 && !force ? ExitCode.TaskFailed : ExitCode.Done;
}

async function run(jobs: BatchJob[], flags: BatchFlags, io: CliIO): Promise<BatchSummary> {
  const outDir = resolve(io.cwd, flags.outDir);
  const client = clientFromFlags(flags, io);
  const view = chooseBatchProgress(io.stderr, { json: flags.json === true, total: jobs.length });
  try {
    return await runBatch(client, jobs, {
      outDir,
      journal: journalPath(outDir, flags.journal, io),
      concurrency: positiveInteger("--concurrency", flags.concurrency),
      maxCredits: nonNegativeNumber("--max-credits", flags.maxCredits),
      force: flags.force === true,
      retryFailed: flags.retryFailed === true,
      signal: io.signal,
      allowPrivateNetwork: allowsPrivateResults(flags, io),
      onEvent: (event) => view.event(event),
    });
  } finally {
    view.stop();
  }
}

/**
 * `videoretalk batch <manifest> --out-dir <dir>`: validate the whole manifest (exit 2 listing
 * every bad row), pre-check the media of every row still to be created (exit 1 listing the
 * refused rows, before anything is uploaded; `--force` goes on, `--no-check` skips it), then run
 * or resume the batch with its journal in the out-dir. Exit 0 all downloaded, 1 some failed, 3 unfinished or skipped (run again to continue), 130 on Ctrl-C
 * after the journal is flushed, printing the command that resumes.
 */
export async function runBatchCommand(manifest: string, flags: BatchFlags, io: CliIO): Promise<ExitCodeValue> {
  const json = flags.json === true;
  const started = Date.now();
  let lineOf: Map<string, number> | undefined;
  try {
    positiveInteger("--concurrency", flags.concurrency);
    nonNegativeNumber("--max-credits", flags.maxCredits);
    const outDir = resolve(io.cwd, flags.outDir);
    const jobs = await readBatchManifest(manifest, outDir, io);
    lineOf = manifestLines(jobs);
    if (flags.dryRun) return await dryRun(jobs, flags, io);
    const refused = await batchPreflightGate(
      jobs,
      { outDir, journal: journalPath(outDir, flags.journal, io) },
      flags,
      io,
    );
    if (refused !== undefined) return refused;
    const summary = await run(jobs, flags, io);
    return reportBatchOutcome(
      summary,
      { started, json, resumeCommand: () => resumeCommand(manifest, flags), lineOf },
      io,
    );
  } catch (error) {
    const problem = batchUsageProblem(error, lineOf);
    if (problem !== undefined) return printUsageProblem(problem, error, io, json);
    if (error instanceof InsufficientBalanceError) return printFailure(error, ExitCode.ApiOrNetwork, io, json);
    return reportError(error, io, { json, beforeSending: true });
  }
}
