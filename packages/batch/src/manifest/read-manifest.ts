import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { BatchJob } from "../job-model/job.js";
import { outputPathFor } from "../safe-file-name.js";
import { ManifestError, type ManifestProblem } from "./problems.js";
import { detectFormat, type ManifestFormat, readCsvRows, readJsonlRows } from "./read-rows.js";
import { validateRow } from "./validate-row.js";

/** Options of {@link readManifest}. */
export interface ReadManifestOptions {
  /** `csv` or `jsonl`; default from the extension (`.csv`, `.jsonl`/`.ndjson`), else sniffed. */
  format?: ManifestFormat | undefined;
  /** When given, two jobs writing the same output file are a problem too. */
  outDir?: string | undefined;
}

// Where each job read from a manifest came from. Kept beside the job, not in it: the job's fields
// feed its idempotency key and the journal's "inputs changed" check, which a line number (it
// moves when rows are inserted above) must not disturb.
const manifestLines = new WeakMap<BatchJob, number>();

/**
 * The 1-based manifest line a job was read from by {@link readManifest} / {@link parseManifest}
 * (the header is line 1 of a CSV), or `undefined` for a job built another way. Lets a report
 * point at the row in a 10,000-line file: `line 1234 (id "x")`.
 *
 * @example
 * const jobs = await readManifest("./catalogue.csv");
 * console.log(manifestLineOf(jobs[0])); // 2
 */
export function manifestLineOf(job: BatchJob): number | undefined {
  return manifestLines.get(job);
}

/** Ids seen twice, and two jobs writing one output file. */
function crossRowProblems(
  rows: { id: string | undefined; line: number }[],
  jobs: { job: BatchJob; line: number }[],
  outDir: string | undefined,
): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  // Ids of every row, valid or not, so a duplicate is reported even next to other problems.
  const ids = new Map<string, number>();
  const byLine = new Map(jobs.map((entry) => [entry.line, entry.job.id]));
  for (const { id: given, line } of rows) {
    const id = given ?? byLine.get(line);
    if (id === undefined) continue;
    const first = ids.get(id);
    if (first !== undefined)
      problems.push({ line, field: "id", message: `duplicate id "${id}" (first on line ${first})` });
    else ids.set(id, line);
  }
  if (outDir === undefined) return problems;
  const outputs = new Map<string, { line: number; id: string }>();
  for (const { job, line } of jobs) {
    const path = outputPathFor(job, outDir);
    const other = outputs.get(path);
    if (other && other.id !== job.id)
      problems.push({ line, field: "out", message: `writes ${path}, like line ${other.line} (job "${other.id}")` });
    else outputs.set(path, { line, id: job.id });
  }
  return problems;
}

/**
 * Reads and validates a whole manifest before anything is sent: every bad row is listed with its
 * line and field, duplicate ids and clashing outputs too. Local paths are resolved against the
 * manifest's folder and must be readable files of at most 100 MB.
 *
 * @example
 * const jobs = await readManifest("./catalogue.csv", { outDir: "./dubbed" });
 * @throws {ManifestError} listing every problem; nothing was uploaded or created.
 */
export async function readManifest(path: string, options: ReadManifestOptions = {}): Promise<BatchJob[]> {
  const text = await readFile(path, "utf8");
  return parseManifest(text, { ...options, path, baseDir: dirname(resolve(path)) });
}

/** {@link readManifest} on text already read; `baseDir` resolves relative local paths. */
export async function parseManifest(
  text: string,
  options: ReadManifestOptions & { path?: string | undefined; baseDir: string },
): Promise<BatchJob[]> {
  const path = options.path ?? "manifest";
  const problems: ManifestProblem[] = [];
  const format = options.format ?? detectFormat(path, text);
  const rows = format === "csv" ? readCsvRows(text, problems) : readJsonlRows(text, problems);
  const jobs: { job: BatchJob; line: number }[] = [];
  for (const row of rows) {
    const job = await validateRow(row, options.baseDir, problems);
    if (job) jobs.push({ job, line: row.line });
  }
  const rowIds = rows.map((row) => ({
    id: typeof row.values.id === "string" && row.values.id.trim() !== "" ? row.values.id.trim() : undefined,
    line: row.line,
  }));
  problems.push(...crossRowProblems(rowIds, jobs, options.outDir));
  if (problems.length === 0 && jobs.length === 0)
    problems.push({ line: 1, field: "row", message: "no jobs in the manifest" });
  if (problems.length > 0) {
    const idOnLine = new Map(rowIds.map(({ id, line }) => [line, id]));
    for (const problem of problems) problem.id ??= idOnLine.get(problem.line);
    problems.sort((a, b) => a.line - b.line);
    throw new ManifestError(path, problems);
  }
  for (const { job, line } of jobs) manifestLines.set(job, line);
  return jobs.map((entry) => entry.job);
}
