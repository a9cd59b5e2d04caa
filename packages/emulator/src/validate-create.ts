import { classifyHost } from "./address.js";

/**
 * Server-side checks of `POST /v1/videos/generations`, mirroring the `VideoRetalkRequest`
 * schema in spec/videoretalk.openapi.yaml (required fields, `additionalProperties: false`,
 * `format: uri`, the `model` enum, `query_face_threshold` 120–200, `callback_url` rules).
 * One deliberate difference: loopback callback URLs (plain http included) are accepted, so
 * tests can receive callbacks on 127.0.0.1.
 */

/** A create request that passed validation. */
export interface CreateParams {
  model: "videoretalk";
  video_url: string;
  audio_url: string;
  ref_image_url?: string;
  video_extension?: boolean;
  query_face_threshold?: number;
  callback_url?: string;
}

/** Why a create request was refused: an error code, a message and the offending parameter. */
export interface CreateValidationError {
  code: string;
  message: string;
  param?: string;
}

/** The spec's `Idempotency-Key` pattern. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._-]{16,96}$/;
/** The spec's `callback_url` length limit. */
export const MAX_CALLBACK_URL_LENGTH = 2048;

const FIELDS = new Set([
  "model",
  "video_url",
  "audio_url",
  "ref_image_url",
  "video_extension",
  "query_face_threshold",
  "callback_url",
]);
const REQUIRED = ["model", "video_url", "audio_url"] as const;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

function invalid(param: string, message: string): CreateValidationError {
  return { code: "invalid_parameter", message, param };
}

function checkUri(param: string, value: unknown): URL | CreateValidationError {
  if (typeof value !== "string") return invalid(param, `${param} must be a string URL, got ${describe(value)}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return invalid(param, `${param} must be an absolute URL, got "${value.slice(0, 100)}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return invalid(param, `${param} must use http or https, not ${url.protocol.slice(0, -1)}`);
  }
  return url;
}

function checkCallbackUrl(value: unknown): CreateValidationError | undefined {
  const param = "callback_url";
  if (typeof value === "string" && value.length > MAX_CALLBACK_URL_LENGTH) {
    return invalid(param, `${param} must be at most ${MAX_CALLBACK_URL_LENGTH} characters, got ${value.length}`);
  }
  const url = checkUri(param, value);
  if (!(url instanceof URL)) return url;
  const host = classifyHost(url.hostname);
  if (host.kind === "refused") {
    return invalid(param, `${param} must not point at ${host.reason}; callbacks to internal addresses are forbidden`);
  }
  // The real API takes https only; the emulator also takes http on loopback for local test servers.
  if (url.protocol !== "https:" && host.kind !== "loopback") {
    return invalid(param, `${param} must use https (the emulator also accepts http on loopback addresses)`);
  }
  return undefined;
}

/** Checks a parsed JSON body; returns the params or the first error found. */
export function validateCreateBody(body: unknown): CreateParams | CreateValidationError {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return { code: "invalid_request", message: `The request body must be a JSON object, got ${describe(body)}` };
  }
  const input = body as Record<string, unknown>;
  const missing = REQUIRED.filter((key) => input[key] === undefined);
  if (missing.length > 0) {
    return {
      code: "missing_required_params",
      message: `Missing required parameter: ${missing.join(", ")}`,
      param: missing[0],
    };
  }
  for (const key of Object.keys(input)) {
    if (!FIELDS.has(key)) {
      return invalid(key, `Unknown parameter: ${key}. Expected only ${[...FIELDS].join(", ")}`);
    }
  }
  if (input.model !== "videoretalk") {
    return invalid("model", `model must be "videoretalk", got ${JSON.stringify(input.model)}`);
  }
  for (const key of ["video_url", "audio_url", "ref_image_url"] as const) {
    if (key === "ref_image_url" && input[key] === undefined) continue;
    const checked = checkUri(key, input[key]);
    if (!(checked instanceof URL)) return checked;
  }
  if (input.video_extension !== undefined && typeof input.video_extension !== "boolean") {
    return invalid("video_extension", `video_extension must be a boolean, got ${describe(input.video_extension)}`);
  }
  const threshold = input.query_face_threshold;
  if (threshold !== undefined) {
    if (typeof threshold !== "number" || !Number.isInteger(threshold) || threshold < 120 || threshold > 200) {
      return invalid(
        "query_face_threshold",
        `query_face_threshold must be an integer from 120 to 200, got ${typeof threshold === "number" ? threshold : describe(threshold)}`,
      );
    }
  }
  if (input.callback_url !== undefined) {
    const error = checkCallbackUrl(input.callback_url);
    if (error) return error;
  }
  return input as unknown as CreateParams;
}

/** Whether a validation result is an error. */
export function isValidationError(result: CreateParams | CreateValidationError): result is CreateValidationError {
  return "code" in result && "message" in result;
}
