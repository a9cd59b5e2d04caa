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
import { rowList } from "./batch-row-label.js";
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

/**
 * Errors that mean "fix the command or the files", printed without the API error framing. With
 * the manifest's lines (`lineOf`), changed jobs are named by line too.
 */
export function batchUsageProblem(error: unknown, lineOf?: ReadonlyMap<string, number>): string | undefined {
  if (error instanceof JobInputsChangedError && lineOf !== undefined) {
    const rows = rowList(
      error.jobIds.map((id) => ({ id, line: lineOf.get(id) })),
      Number.POSITIVE_INFINITY,
    );
    return `The inputs of ${rows} changed since the journal recorded ${error.jobIds.length === 1 ? "it" : "them"}: give changed rows a new id, or use a new --out-dir / --journal.`;
  }
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
  run: { started: number; json: boolean; resumeCommand: () => string; lineOf?: ReadonlyMap<string, number> },
  io: CliIO,
): ExitCodeValue {
  const code = exitCodeOf(summary) as ExitCodeValue;
  const resume = code === ExitCode.ApiOrNetwork || code === ExitCode.Interrupted ? run.resumeCommand() : undefined;
  if (run.json) {
    io.stdout.write(jsonSummary(summary, code, resume, run.lineOf));
  } else {
    io.stdout.write(textSummary(summary, formatDuration(Date.now() - run.started), run.lineOf));
    if (resume) io.stderr.write(`resume with: ${terminalSafe(resume)}\n`);
  }
  return code;
}
