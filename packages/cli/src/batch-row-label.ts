import { type BatchJob, manifestLineOf } from "@videoretalk/batch";

/**
 * How `videoretalk batch` names a manifest row in its reports: by line first, so the row can be
 * found in a 10,000-line CSV, then by id: `line 1234 (id "x")`. A job whose line is unknown
 * (not read from a manifest) is `id "x"`.
 */
export function rowLabel(id: string, line: number | undefined): string {
  return line === undefined ? `id ${JSON.stringify(id)}` : `line ${line} (id ${JSON.stringify(id)})`;
}

/** The manifest line of each job, by id (see `manifestLineOf` in @videoretalk/batch). */
export function manifestLines(jobs: readonly BatchJob[]): Map<string, number> {
  const lines = new Map<string, number>();
  for (const job of jobs) {
    const line = manifestLineOf(job);
    if (line !== undefined) lines.set(job.id, line);
  }
  return lines;
}

/** `line 3 (id "a"), line 9 (id "b")`, at most `max` of them, then `and N more`. */
export function rowList(rows: readonly { id: string; line: number | undefined }[], max = 10): string {
  const shown = rows.slice(0, max).map((row) => rowLabel(row.id, row.line));
  if (rows.length > max) shown.push(`and ${rows.length - max} more`);
  return shown.join(", ");
}
