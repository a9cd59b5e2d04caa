import { parse } from "csv-parse/sync";
import type { ManifestProblem } from "./problems.js";

/** A manifest row before validation: raw values by column, and where it came from. */
export interface RawRow {
  line: number;
  values: Record<string, unknown>;
}

/** Manifest formats: a CSV with a header row, or one JSON object per line. */
export type ManifestFormat = "csv" | "jsonl";

/** The format of a manifest, from its extension, else from its first character. */
export function detectFormat(path: string, text: string): ManifestFormat {
  if (/\.csv$/i.test(path)) return "csv";
  if (/\.(jsonl|ndjson)$/i.test(path)) return "jsonl";
  return text.trimStart().startsWith("{") ? "jsonl" : "csv";
}

interface CsvRecord {
  record: Record<string, string>;
  info: { lines: number; invalid_field_length: number };
}

/** Reads CSV rows (header row first) with csv-parse; quoting and multi-line cells follow RFC 4180. */
export function readCsvRows(text: string, problems: ManifestProblem[]): RawRow[] {
  let records: CsvRecord[];
  try {
    records = parse(text, {
      columns: (header: string[]) => header.map((name) => name.trim()),
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as CsvRecord[];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    problems.push({ line, field: "row", message: `not valid CSV: ${(error as Error).message}` });
    return [];
  }
  const rows: RawRow[] = [];
  for (const { record, info } of records) {
    if (info.invalid_field_length > 0) {
      problems.push({ line: info.lines, field: "row", message: "has a different number of cells than the header" });
      continue;
    }
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) if (value !== "" && value !== undefined) values[key] = value;
    rows.push({ line: info.lines, values });
  }
  return rows;
}

/** Reads JSONL rows: one JSON object per non-empty line. */
export function readJsonlRows(text: string, problems: ManifestProblem[]): RawRow[] {
  const rows: RawRow[] = [];
  text.split(/\r?\n/).forEach((source, index) => {
    if (source.trim() === "") return;
    const line = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch {
      problems.push({ line, field: "row", message: "not valid JSON" });
      return;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      problems.push({ line, field: "row", message: "must be a JSON object" });
      return;
    }
    const values: Record<string, unknown> = {};
    for (const [key, cell] of Object.entries(value)) if (cell !== null && cell !== "") values[key] = cell;
    rows.push({ line, values });
  });
  return rows;
}
