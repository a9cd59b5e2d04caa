import { refusedHostReason } from "./address-rules.js";
import { ValidationError } from "./errors.js";
import type { LipSyncParams } from "./models.js";
import { parseUnambiguousUrl } from "./url-text.js";

/**
 * Client-side checks mirrored from the constraints in spec/videoretalk.openapi.yaml. They run
 * before anything is sent, so a typo never costs a request (or credits), and each failure names
 * the field by its wire name.
 */

/** Matches the spec's `Idempotency-Key` pattern. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._-]{16,96}$/;
/** The spec's `callback_url` length limit. */
export const MAX_CALLBACK_URL_LENGTH = 2048;
/** The spec's `query_face_threshold` range. */
export const FACE_THRESHOLD_RANGE = { min: 120, max: 200 } as const;

const CREATE_FIELDS = new Set([
  "model",
  "video_url",
  "audio_url",
  "ref_image_url",
  "video_extension",
  "query_face_threshold",
  "callback_url",
]);

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return value === "" ? "an empty string" : "a string";
  return `a ${typeof value}`;
}

function parseHttpUrl(field: string, value: unknown): URL {
  if (typeof value !== "string" || value.trim() === "") {
    throw new ValidationError(field, `${field} must be a non-empty URL string, got ${describe(value)}.`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(field, `${field} must be an absolute http(s) URL such as https://example.com/file.mp4.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ValidationError(field, `${field} must use http or https, not ${url.protocol.slice(0, -1)}.`);
  }
  return url;
}

/**
 * Checks `callback_url` and returns the exact text to send: the serialised URL that the rules
 * were checked against, so no other parser can read a different host out of it.
 */
function checkCallbackUrl(value: unknown): string {
  const field = "callback_url";
  if (typeof value === "string" && value.length > MAX_CALLBACK_URL_LENGTH) {
    throw new ValidationError(
      field,
      `${field} must be at most ${MAX_CALLBACK_URL_LENGTH} characters, got ${value.length}.`,
    );
  }
  if (typeof value !== "string" || value.trim() === "") parseHttpUrl(field, value);
  const url = parseUnambiguousUrl(field, value);
  if (url.protocol !== "https:") {
    throw new ValidationError(field, `${field} must use https; the API refuses plain http callbacks.`);
  }
  const reason = refusedHostReason(url.hostname);
  if (reason) {
    throw new ValidationError(
      field,
      `${field} points at ${reason}; the API only calls public hosts. Use a public https URL (for local tests, a tunnel or the emulator's forwardCallbacksTo).`,
    );
  }
  if (url.href.length > MAX_CALLBACK_URL_LENGTH) {
    throw new ValidationError(
      field,
      `${field} must be at most ${MAX_CALLBACK_URL_LENGTH} characters once normalised, got ${url.href.length}.`,
    );
  }
  return url.href;
}

/**
 * Checks create parameters and returns the body to send (with `model` defaulted and
 * `callback_url` in the normalised form that was checked).
 *
 * @throws {ValidationError} naming the first offending field.
 */
export function validateCreateParams(params: unknown): LipSyncParams & { model: "videoretalk" } {
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    throw new ValidationError("params", `lipSync.create() expects a parameters object, got ${describe(params)}.`);
  }
  const input = params as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!CREATE_FIELDS.has(key)) {
      throw new ValidationError(
        key,
        `${key} is not a VideoRetalk parameter; expected one of ${[...CREATE_FIELDS].join(", ")}.`,
      );
    }
    if (input[key] === null) {
      throw new ValidationError(key, `${key} must be omitted rather than null.`);
    }
  }
  if (input.model !== undefined && input.model !== "videoretalk") {
    throw new ValidationError("model", `model must be "videoretalk", got ${JSON.stringify(input.model)}.`);
  }
  parseHttpUrl("video_url", input.video_url);
  parseHttpUrl("audio_url", input.audio_url);
  if (input.ref_image_url !== undefined) parseHttpUrl("ref_image_url", input.ref_image_url);
  if (input.video_extension !== undefined && typeof input.video_extension !== "boolean") {
    throw new ValidationError(
      "video_extension",
      `video_extension must be a boolean, got ${describe(input.video_extension)}.`,
    );
  }
  const threshold = input.query_face_threshold;
  if (threshold !== undefined) {
    const { min, max } = FACE_THRESHOLD_RANGE;
    if (typeof threshold !== "number" || !Number.isInteger(threshold) || threshold < min || threshold > max) {
      throw new ValidationError(
        "query_face_threshold",
        `query_face_threshold must be an integer from ${min} to ${max} (default 170), got ${typeof threshold === "number" ? threshold : describe(threshold)}.`,
      );
    }
  }
  const body = { ...(input as unknown as LipSyncParams), model: "videoretalk" as const };
  if (input.callback_url !== undefined) body.callback_url = checkCallbackUrl(input.callback_url);
  return body;
}

/**
 * Checks a task id and returns it; path encoding is left to the URL builder.
 *
 * @throws {ValidationError} with `field: "task_id"`.
 */
export function validateTaskId(taskId: unknown): string {
  if (typeof taskId !== "string" || taskId.trim() === "") {
    throw new ValidationError("task_id", `task_id must be a non-empty string, got ${describe(taskId)}.`);
  }
  // "." and ".." survive percent-encoding and would be resolved away as path segments.
  if (taskId === "." || taskId === "..") {
    throw new ValidationError("task_id", `task_id cannot be "${taskId}".`);
  }
  return taskId;
}

/**
 * Checks a caller-supplied idempotency key against the gateway's format.
 *
 * @throws {ValidationError} with `field: "idempotencyKey"`.
 */
export function validateIdempotencyKey(key: unknown): string {
  if (typeof key !== "string" || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new ValidationError(
      "idempotencyKey",
      "idempotencyKey must be 16–96 characters from A–Z, a–z, 0–9, '.', '_' and '-'.",
    );
  }
  return key;
}
