import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { type LipSyncParams, MAX_UPLOAD_BYTES, ValidationError } from "@videoretalk/core";
import { validateCreateParams } from "@videoretalk/core/validation";
import { type BatchJob, defaultJobId, isUrl, MEDIA_FIELDS } from "../job-model/job.js";
import type { ManifestProblem } from "./problems.js";
import type { RawRow } from "./read-rows.js";

/** The columns (CSV) or keys (JSONL) a manifest row may have. */
export const MANIFEST_FIELDS = [
  "id",
  "video",
  "audio",
  "ref_image",
  "video_extension",
  "query_face_threshold",
  "out",
] as const;

const MANIFEST_FIELD_OF_WIRE: Record<string, string> = {
  video_url: "video",
  audio_url: "audio",
  ref_image_url: "ref_image",
};

/** Marks a cell of the wrong type (a symbol, so no cell text can collide with it). */
const BAD = Symbol("bad");

function parseBoolean(value: unknown): boolean | undefined | typeof BAD {
  if (value === undefined || typeof value === "boolean") return value;
  const text = String(value).trim().toLowerCase();
  if (["true", "1", "yes"].includes(text)) return true;
  if (["false", "0", "no"].includes(text)) return false;
  return BAD;
}

function parseThreshold(value: unknown): number | undefined | typeof BAD {
  if (value === undefined) return undefined;
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return Number(value);
  return BAD;
}

function text(value: unknown): string | undefined | typeof BAD {
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : BAD;
}

function hasControlCharacter(value: string): boolean {
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Field types and presence; pushes a problem per bad field. */
function readFields(row: RawRow, problems: ManifestProblem[]): Omit<BatchJob, "id"> & { id?: string } {
  const bad = (field: string, message: string) => problems.push({ line: row.line, field, message });
  for (const key of Object.keys(row.values)) {
    if (!(MANIFEST_FIELDS as readonly string[]).includes(key))
      bad(key, `unknown field (expected ${MANIFEST_FIELDS.join(", ")})`);
  }
  const job: Omit<BatchJob, "id"> & { id?: string } = { video: "", audio: "" };
  for (const field of ["id", "video", "audio", "ref_image", "out"] as const) {
    const value = text(row.values[field]);
    if (value === BAD) bad(field, "must be a string");
    else if (value !== undefined) job[field] = value.trim();
  }
  if (!job.video) bad("video", "is required (an http(s) URL or a local file)");
  if (!job.audio) bad("audio", "is required (an http(s) URL or a local file)");
  const extension = parseBoolean(row.values.video_extension);
  if (extension === BAD) bad("video_extension", "must be true or false");
  else if (extension !== undefined) job.video_extension = extension;
  const threshold = parseThreshold(row.values.query_face_threshold);
  if (threshold === BAD) bad("query_face_threshold", "must be an integer from 120 to 200");
  else if (threshold !== undefined) job.query_face_threshold = threshold;
  if (job.id !== undefined && (job.id.length > 200 || hasControlCharacter(job.id)))
    bad("id", "must be at most 200 characters without control characters");
  return job;
}

/** Resolves local paths against `baseDir` and checks each is a readable file of at most 100 MB. */
async function resolveFiles(job: Omit<BatchJob, "id">, line: number, baseDir: string, problems: ManifestProblem[]) {
  for (const field of MEDIA_FIELDS) {
    const value = job[field];
    if (!value || isUrl(value)) continue;
    const path = resolve(baseDir, value);
    job[field] = path;
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile())
      problems.push({ line, field, message: `no such file: ${value} (give an http(s) URL or a local file)` });
    else if (info.size > MAX_UPLOAD_BYTES)
      problems.push({ line, field, message: `${value} is larger than the 100 MB upload limit` });
  }
}

/** Core's create-call validation (threshold range, URL form …), with wire names mapped back. */
function checkWithCore(job: Omit<BatchJob, "id">, line: number, problems: ManifestProblem[]): void {
  const params: LipSyncParams = {
    video_url: isUrl(job.video) ? job.video : "https://upload.pending.invalid/video",
    audio_url: isUrl(job.audio) ? job.audio : "https://upload.pending.invalid/audio",
  };
  if (job.ref_image)
    params.ref_image_url = isUrl(job.ref_image) ? job.ref_image : "https://upload.pending.invalid/image";
  if (job.video_extension !== undefined) params.video_extension = job.video_extension;
  if (job.query_face_threshold !== undefined) params.query_face_threshold = job.query_face_threshold;
  try {
    validateCreateParams(params);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const field = MANIFEST_FIELD_OF_WIRE[error.field ?? ""] ?? error.field ?? "row";
    problems.push({ line, field, message: error.message });
  }
}

/**
 * Turns one raw row into a job, or pushes its problems (every bad field, not just the first).
 * Local paths become absolute (relative to `baseDir`, the manifest's folder) and must exist.
 */
export async function validateRow(
  row: RawRow,
  baseDir: string,
  problems: ManifestProblem[],
): Promise<BatchJob | undefined> {
  const before = problems.length;
  const fields = readFields(row, problems);
  if (problems.length > before) return undefined;
  await resolveFiles(fields, row.line, baseDir, problems);
  checkWithCore(fields, row.line, problems);
  if (problems.length > before) return undefined;
  const { id, ...inputs } = fields;
  const job: BatchJob = { id: id || defaultJobId(inputs), ...inputs };
  for (const key of Object.keys(job) as (keyof BatchJob)[]) if (job[key] === undefined) delete job[key];
  return job;
}
