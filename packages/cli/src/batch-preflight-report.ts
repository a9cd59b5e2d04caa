import type { BatchJob, PlannedAction } from "@videoretalk/batch";
import { MEDIA_LIMITS_VERSION } from "@videoretalk/preflight";
import { type BatchPreflight, checkBatchRows, jobsToCreate, type RowCheck } from "./batch-preflight.js";
import { rowLabel, rowList } from "./batch-row-label.js";
import { dryRunText } from "./batch-summary.js";
import { ExitCode, type ExitCodeValue } from "./exit-codes.js";
import type { CliIO } from "./io.js";
import { terminalSafe } from "./terminal-text.js";

/**
 * How `videoretalk batch` shows its media pre-check: under each row of `--dry-run`, in the
 * `--dry-run --json` document, and as the gate of a real run (refusals stop it before anything
 * is uploaded or created, unless `--force`).
 */

/** `2 rows to create; billable 6.00 s in total` (plus the rows whose length is unknown). */
export function billableLine(found: BatchPreflight): string {
  const rows = `${countRows(found.rows.length)} to create`;
  const unknown = found.billableUnknown > 0 ? ` (+ ${found.billableUnknown} of unknown length)` : "";
  return `${rows}; billable ${found.billableSeconds.toFixed(2)} s in total${unknown}`;
}

/** `1 row`, `3 rows`. */
function countRows(count: number): string {
  return `${count} ${count === 1 ? "row" : "rows"}`;
}

function problemLines(row: RowCheck, indent: string): string[] {
  return row.problems.map((problem) => terminalSafe(`${indent}${problem.severity.padEnd(6)} ${problem.message}`));
}

/** `--dry-run` text: each row's problems under its line, then the billable total and the verdict. */
export function dryRunTextWithChecks(
  actions: PlannedAction[],
  found: BatchPreflight | undefined,
  force: boolean,
  lineOf: ReadonlyMap<string, number> = new Map(),
): string {
  // dryRunText prints one line per action, in order, then its summary line.
  const lines = dryRunText(actions, lineOf).trimEnd().split("\n");
  if (!found) return `${lines.join("\n")}\n`;
  const byId = new Map(found.rows.map((row) => [row.id, row]));
  const out: string[] = [];
  actions.forEach((action, index) => {
    out.push(lines[index] ?? "");
    const row = byId.get(action.id);
    if (row) out.push(...problemLines(row, "    "));
  });
  out.push(...lines.slice(actions.length));
  const refused = found.refused.length;
  let verdict = "";
  if (refused > 0)
    verdict = force
      ? ` ${refused} refused; --force would create them anyway.`
      : ` ${refused} refused (${terminalSafe(rowList(refusedRows(found)))}): a run would stop before uploading anything (--force sends them anyway).`;
  out.push(`pre-check: ${billableLine(found)}.${verdict}`);
  return `${out.join("\n")}\n`;
}

/** The refused rows, in manifest order, as `{ line, id }`. */
function refusedRows(found: BatchPreflight): { line: number | undefined; id: string }[] {
  return found.rows.filter((row) => row.refused).map(({ line, id }) => ({ line, id }));
}

/**
 * `--dry-run --json`: each job gains its manifest `line` and `preflight` (null when not checked),
 * plus the totals; `preflight.refusedRows` names the refused rows by line and id.
 */
export function dryRunJson(
  actions: PlannedAction[],
  found: BatchPreflight | undefined,
  lineOf: ReadonlyMap<string, number> = new Map(),
): string {
  const byId = new Map(found?.rows.map((row) => [row.id, row]));
  const jobs = actions.map((action) => {
    const row = byId.get(action.id);
    return {
      ...action,
      line: lineOf.get(action.id) ?? null,
      preflight: row
        ? { refused: row.refused, problems: row.problems, billableSeconds: row.billableSeconds ?? null }
        : null,
    };
  });
  const preflight = found
    ? {
        limitsVersion: MEDIA_LIMITS_VERSION,
        checked: found.rows.length,
        refused: found.refused,
        refusedRows: refusedRows(found).map(({ line, id }) => ({ line: line ?? null, id })),
        billableSeconds: found.billableSeconds,
        billableUnknown: found.billableUnknown,
      }
    : null;
  return `${JSON.stringify({ dryRun: true, jobs, preflight })}\n`;
}

/** The flags of `batch` that steer its pre-check. */
export interface BatchPreflightFlags {
  /** `--no-check` sets this to false. */
  check?: boolean | undefined;
  force?: boolean | undefined;
  json?: boolean | undefined;
  retryFailed?: boolean | undefined;
}

function printRefusal(found: BatchPreflight, io: CliIO, json: boolean): void {
  const count = found.refused.length;
  const message = `${count} ${count === 1 ? "row breaks" : "rows break"} VideoRetalk's limits; nothing was uploaded or created (use --force to send them anyway).`;
  if (json) {
    const rows = found.rows
      .filter((row) => row.refused)
      .map(({ id, line, problems }) => ({ line: line ?? null, id, problems }));
    io.stdout.write(
      `${JSON.stringify({ error: { name: "PreflightRefused", message }, refused: rows, exitCode: ExitCode.TaskFailed })}\n`,
    );
  } else io.stderr.write(`refused: ${message}\n  ${terminalSafe(rowList(refusedRows(found)))}\n`);
}

/**
 * The pre-check of a real run, before `runBatch`: checks every row still to be uploaded and
 * created. Returns an exit code when the run must stop (a refusal without `--force`: 1; Ctrl-C
 * during the check: 130), else undefined. Problems go to stderr (not with `--json`).
 */
export async function batchPreflightGate(
  jobs: BatchJob[],
  paths: { outDir: string; journal: string },
  flags: BatchPreflightFlags,
  io: CliIO,
): Promise<ExitCodeValue | undefined> {
  if (flags.check === false) return undefined;
  const json = flags.json === true;
  const pending = await jobsToCreate(jobs, { ...paths, retryFailed: flags.retryFailed });
  if (pending.length === 0) return undefined;
  let found: BatchPreflight;
  try {
    found = await checkBatchRows(pending, { signal: io.signal });
  } catch (error) {
    if (!io.signal.aborted) throw error;
    found = { rows: [], refused: [], billableSeconds: 0, billableUnknown: 0 };
  }
  if (io.signal.aborted) {
    const message = "interrupted during the pre-check; nothing was uploaded or created.";
    if (json)
      io.stdout.write(
        `${JSON.stringify({ error: { name: "Interrupted", message }, exitCode: ExitCode.Interrupted })}\n`,
      );
    else io.stderr.write(`${message}\n`);
    return ExitCode.Interrupted;
  }
  if (!json) {
    io.stderr.write(`pre-check: ${billableLine(found)}\n`);
    for (const row of found.rows.filter((r) => r.problems.length > 0))
      io.stderr.write(`  ${terminalSafe(rowLabel(row.id, row.line))}:\n${problemLines(row, "    ").join("\n")}\n`);
  }
  if (found.refused.length === 0) return undefined;
  if (flags.force === true) {
    if (!json) io.stderr.write(`--force: creating ${countRows(found.refused.length)} the pre-check refused.\n`);
    return undefined;
  }
  printRefusal(found, io, json);
  return ExitCode.TaskFailed;
}
