import { join, resolve } from "node:path";
import {
  type BatchJob,
  type BatchSummary,
  DEFAULT_JOURNAL_NAME,
  exitCodeOf,
  JobInputsChangedError,
  JournalCorruptError,
  JournalLockedError,
  ManifestError,
  readManifest,
} from "@videoretalk/batch";
import { jsonSummary, textSummary } from "./batch-summary.js";
import { ExitCode, type ExitCodeValue } from "./exit-codes.js";
import { formatDuration } from "./format.js";
import type { CliIO } from "./io.js";
import { UsageError } from "./report-error.js";
import { terminalSafe } from "./terminal-text.js";

// The steps `videoretalk batch` shares between its local run and its `--redis` run.

/** Reads and validates the manifest (relative to the working folder); a missing file is a usage error. */
export async function readBatchManifest(manifest: string, outDir: string, io: CliIO): Promise<BatchJob[]> {
  try {
    return await readManifest(resolve(io.cwd, manifest), { outDir });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new UsageError(`no such manifest: ${manifest}`);
    throw error;
  }
}

/** Errors that mean "fix the command or the files", printed without the API error framing. */
export function batchUsageProblem(error: unknown): string | undefined {
  if (error instanceof ManifestError || error instanceof JobInputsChangedError) return error.message;
  if (error instanceof JournalLockedError || error instanceof JournalCorruptError) return error.message;
  return undefined;
}

/** `--journal` (relative to the working folder), else the default journal in the out-dir. */
export function journalPath(outDir: string, journal: string | undefined, io: CliIO): string {
  return journal === undefined ? join(outDir, DEFAULT_JOURNAL_NAME) : resolve(io.cwd, journal);
}

/**
 * Prints a finished run's summary (JSON on stdout with `--json`, else text) and returns its exit
 * code. A run that stopped on the network or Ctrl-C also gets the command that continues it.
 */
export function reportBatchOutcome(
  summary: BatchSummary,
  run: { started: number; json: boolean; resumeCommand: () => string },
  io: CliIO,
): ExitCodeValue {
  const code = exitCodeOf(summary) as ExitCodeValue;
  const resume = code === ExitCode.ApiOrNetwork || code === ExitCode.Interrupted ? run.resumeCommand() : undefined;
  if (run.json) {
    io.stdout.write(jsonSummary(summary, code, resume));
  } else {
    io.stdout.write(textSummary(summary, formatDuration(Date.now() - run.started)));
    if (resume) io.stderr.write(`resume with: ${terminalSafe(resume)}\n`);
  }
  return code;
}
