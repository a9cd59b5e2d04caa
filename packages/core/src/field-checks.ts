/**
 * The input checks of `lipSync.create` and `tasks.get`, as findings rather than thrown errors:
 * each check returns the first problem it sees, or `undefined`. The messages that explain a
 * problem live in field-messages.ts, which the browser build loads only when input is refused
 * (with the other failure code), so the checks cost a page little while the messages stay full.
 */
import type { LipSyncParams } from "./models.js";

/** The spec's `query_face_threshold` range. */
export const FACE_THRESHOLD_RANGE = { min: 120, max: 200 } as const;

/** Matches the spec's `Idempotency-Key` pattern. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._-]{16,96}$/;

/** The create body's fields, in the spec's order. */
export const CREATE_FIELDS: ReadonlySet<string> = new Set([
  "model",
  "video_url",
  "audio_url",
  "ref_image_url",
  "video_extension",
  "query_face_threshold",
  "callback_url",
]);

/** Which rule an input broke; field-messages.ts has the sentence for each. */
export type FieldRule =
  | "params-object"
  | "unknown-field"
  | "null"
  | "model"
  | "url-string"
  | "url-absolute"
  | "url-scheme"
  | "boolean"
  | "face-threshold"
  | "task-id"
  | "task-id-dots"
  | "idempotency-key";

/** A refused input: the field by its wire (or option) name, the rule, and the value refused. */
export interface FieldProblem {
  field: string;
  rule: FieldRule;
  value?: unknown;
}

/** The first problem of an absolute http(s) URL field, if any. */
export function httpUrlProblem(field: string, value: unknown): FieldProblem | undefined {
  if (typeof value !== "string" || value.trim() === "") return { field, rule: "url-string", value };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { field, rule: "url-absolute", value };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { field, rule: "url-scheme", value: url.protocol };
  return undefined;
}

/**
 * The first problem of `lipSync.create()` parameters other than the `callback_url` host rules
 * (loaded on demand, see callback-url.ts): unknown keys, `null`s, the model, URL shapes, types
 * and the face-threshold range.
 */
export function createFieldsProblem(params: unknown): FieldProblem | undefined {
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    return { field: "params", rule: "params-object", value: params };
  }
  const input = params as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!CREATE_FIELDS.has(key)) return { field: key, rule: "unknown-field" };
    if (input[key] === null) return { field: key, rule: "null" };
  }
  if (input.model !== undefined && input.model !== "videoretalk") {
    return { field: "model", rule: "model", value: input.model };
  }
  const urlProblem =
    httpUrlProblem("video_url", input.video_url) ??
    httpUrlProblem("audio_url", input.audio_url) ??
    (input.ref_image_url === undefined ? undefined : httpUrlProblem("ref_image_url", input.ref_image_url));
  if (urlProblem) return urlProblem;
  if (input.video_extension !== undefined && typeof input.video_extension !== "boolean") {
    return { field: "video_extension", rule: "boolean", value: input.video_extension };
  }
  const threshold = input.query_face_threshold;
  const { min, max } = FACE_THRESHOLD_RANGE;
  if (
    threshold !== undefined &&
    (typeof threshold !== "number" || !Number.isInteger(threshold) || threshold < min || threshold > max)
  ) {
    return { field: "query_face_threshold", rule: "face-threshold", value: threshold };
  }
  return undefined;
}

/** The create body for parameters {@link createFieldsProblem} accepted. */
export function createBody(params: LipSyncParams): LipSyncParams & { model: "videoretalk" } {
  return { ...params, model: "videoretalk" };
}

/** The first problem of a task id, if any; path encoding is left to the URL builder. */
export function taskIdProblem(taskId: unknown): FieldProblem | undefined {
  if (typeof taskId !== "string" || taskId.trim() === "") return { field: "task_id", rule: "task-id", value: taskId };
  // "." and ".." survive percent-encoding and would be resolved away as path segments.
  if (taskId === "." || taskId === "..") return { field: "task_id", rule: "task-id-dots", value: taskId };
  return undefined;
}

/** The problem of a caller-chosen idempotency key, if any. */
export function idempotencyKeyProblem(key: unknown): FieldProblem | undefined {
  if (typeof key !== "string" || !IDEMPOTENCY_KEY_PATTERN.test(key))
    return { field: "idempotencyKey", rule: "idempotency-key" };
  return undefined;
}
