import type { BatchSummary, PlannedAction } from "@videoretalk/batch";
import { rowLabel } from "./batch-row-label.js";
import { terminalSafe } from "./terminal-text.js";

/** Shell-quotes one argument for a command line the user can paste. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The `--json` document: `{ jobs: [{ id, line, status, task_id, output, error }], totals }`. */
export function jsonSummary(
  summary: BatchSummary,
  exitCode: number,
  resume: string | undefined,
  lineOf: ReadonlyMap<string, number> = new Map(),
): string {
  const jobs = summary.jobs.map(({ id, status, task_id, output, error, reason }) => ({
    id,
    line: lineOf.get(id) ?? null,
    status: status === "skipped" && reason ? `skipped: ${reason}` : status,
    task_id: task_id ?? null,
    output: output ?? null,
    error: error ?? null,
  }));
  const document: Record<string, unknown> = { jobs, totals: summary.totals, exitCode };
  if (summary.interrupted) document.interrupted = true;
  if (resume) document.resume = resume;
  return `${JSON.stringify(document)}\n`;
}

/** The human summary: totals, then every job that did not finish with its reason. */
export function textSummary(
  summary: BatchSummary,
  elapsed: string,
  lineOf: ReadonlyMap<string, number> = new Map(),
): string {
  const t = summary.totals;
  const lines = [
    `${summary.interrupted ? "interrupted" : "finished"} in ${elapsed}: ${t.downloaded}/${t.jobs} downloaded, ${t.failed} failed, ${t.skipped} skipped, ${t.unfinished} unfinished; ${Math.round(t.creditsReserved)} credits reserved`,
  ];
  for (const job of summary.jobs) {
    if (job.status === "downloaded") continue;
    const label = job.status === "skipped" ? `skipped: ${job.reason ?? "budget"}` : job.status;
    const task = job.task_id ? ` (task ${job.task_id})` : "";
    const error = job.error ? `: ${job.error.code}: ${job.error.message}` : "";
    lines.push(terminalSafe(`  ${rowLabel(job.id, lineOf.get(job.id))} ${label}${task}${error}`));
  }
  return `${lines.join("\n")}\n`;
}

const ACTION_TEXT: Record<PlannedAction["action"], string> = {
  "upload-and-create": "upload, then create",
  create: "create",
  wait: "wait for its task",
  download: "download the result",
  skip: "skip (already downloaded, checksum valid)",
  retry: "create a NEW task (--retry-failed)",
  "report-failed": "report failed (use --retry-failed to redo)",
};

/** `--dry-run`: what would be uploaded, created, waited for and skipped, row by row. */
export function dryRunText(actions: PlannedAction[], lineOf: ReadonlyMap<string, number> = new Map()): string {
  const lines = actions.map((a) => {
    const uploads = a.uploads.length > 0 ? ` [upload ${a.uploads.join(", ")}]` : "";
    const task = a.taskId ? ` (task ${a.taskId})` : "";
    const changed = a.inputsChanged ? " — INPUTS CHANGED since the journal recorded this id" : "";
    return terminalSafe(
      `${rowLabel(a.id, lineOf.get(a.id))}: ${ACTION_TEXT[a.action]}${task}${uploads} → ${a.output}${changed}`,
    );
  });
  const count = (kind: PlannedAction["action"][]) => actions.filter((a) => kind.includes(a.action)).length;
  const uploads = new Set(actions.flatMap((a) => a.uploads)).size;
  lines.push(
    `dry run: ${actions.length} jobs; would upload ${uploads} files, create ${count(["upload-and-create", "create", "retry"])} tasks, wait for ${count(["wait", "download"])}, skip ${count(["skip"])}, report ${count(["report-failed"])} failed. Nothing was sent.`,
  );
  return `${lines.join("\n")}\n`;
}
