import { MAX_UPLOAD_BYTES, ValidationError } from "@videoretalk/core";

/** Default cap of the upload route: 100 MB, the Files API's own limit. */
export const DEFAULT_UPLOAD_MAX_BYTES = MAX_UPLOAD_BYTES;

/**
 * Default time the upload route gives a browser to send the whole file: 30 minutes, so 100 MB
 * still arrive over a 0.5 Mbit/s uplink.
 */
export const DEFAULT_UPLOAD_BODY_TIMEOUT_MS = 30 * 60_000;

/**
 * Default longest silence between two chunks of an upload (while the proxy is ready to read):
 * 60 s, the default of nginx's `client_body_timeout`. A stalled upload is ended after this,
 * however long the total allows.
 */
export const DEFAULT_UPLOAD_IDLE_TIMEOUT_MS = 60_000;

/**
 * MIME types the upload route accepts by default: the containers VideoRetalk takes for its
 * video, audio and reference-image inputs.
 */
export const DEFAULT_UPLOAD_TYPES: readonly string[] = Object.freeze([
  "video/mp4",
  "video/quicktime",
  "video/x-msvideo",
  "audio/wav",
  "audio/x-wav",
  "audio/mpeg",
  "audio/aac",
  "audio/mp4",
  "image/jpeg",
  "image/png",
  "image/bmp",
  "image/webp",
]);

/** `uploads` option of `createProxyHandler`: enables `POST {basePath}/v1/files/upload`. */
export interface ProxyUploadOptions {
  /** Largest file accepted, in bytes, counted while streaming. Default and maximum 100 MB. */
  maxBytes?: number | undefined;
  /** MIME types accepted (the part's declared type, checked against the file's first bytes). */
  allowedTypes?: readonly string[] | undefined;
  /**
   * Time from the start of the upload (after `authorize`) until the whole body must have
   * arrived, in ms; later answers 408. Replaces `toNodeHandler`'s `bodyTimeoutMs` for this
   * route. Default 1 800 000 (30 min).
   */
  bodyTimeoutMs?: number | undefined;
  /**
   * Longest time without a byte from the client while the proxy waits for one, in ms; longer
   * answers 408. Time the Files API spends accepting bytes does not count. Default 60 000.
   */
  bodyIdleTimeoutMs?: number | undefined;
}

/** The upload route's settings after defaults, or `undefined` when the route is off. */
export interface ResolvedUploads {
  maxBytes: number;
  allowedTypes: ReadonlySet<string>;
  bodyTimeoutMs: number;
  bodyIdleTimeoutMs: number;
}

const MIME_PATTERN = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

// Names browsers and tools use for the same formats, read as the canonical type.
const TYPE_ALIASES: Record<string, string> = {
  "audio/x-m4a": "audio/mp4",
  "audio/m4a": "audio/mp4",
  "audio/mp3": "audio/mpeg",
  "audio/wave": "audio/wav",
  "audio/vnd.wave": "audio/wav",
  "audio/x-aac": "audio/aac",
  "image/jpg": "image/jpeg",
  "image/x-ms-bmp": "image/bmp",
  "video/avi": "video/x-msvideo",
};

/** A `Content-Type` value as a lower-case essence (no parameters), aliases resolved. */
export function canonicalMediaType(value: string | null | undefined): string {
  const essence = (value ?? "").split(";", 1)[0]?.trim().toLowerCase() ?? "";
  return TYPE_ALIASES[essence] ?? essence;
}

/**
 * Validates the `uploads` option. `undefined`/`false` leaves the route off; `true` or an object
 * turns it on with the defaults filled in.
 *
 * @throws {ValidationError} with `field` `uploads`, `uploads.maxBytes` or `uploads.allowedTypes`.
 */
export function resolveUploads(value: ProxyUploadOptions | boolean | undefined): ResolvedUploads | undefined {
  if (value === undefined || value === false) return undefined;
  if (value !== true && (value === null || typeof value !== "object")) {
    throw new ValidationError(
      "uploads",
      "uploads must be true or { maxBytes?, allowedTypes?, bodyTimeoutMs?, bodyIdleTimeoutMs? }.",
    );
  }
  const options: ProxyUploadOptions = value === true ? {} : value;
  const maxBytes = options.maxBytes ?? DEFAULT_UPLOAD_MAX_BYTES;
  if (typeof maxBytes !== "number" || !Number.isInteger(maxBytes) || maxBytes <= 0 || maxBytes > MAX_UPLOAD_BYTES) {
    throw new ValidationError(
      "uploads.maxBytes",
      `uploads.maxBytes must be a whole number of bytes from 1 to ${MAX_UPLOAD_BYTES} (the Files API limit), got ${String(maxBytes)}.`,
    );
  }
  const types = options.allowedTypes ?? DEFAULT_UPLOAD_TYPES;
  if (!Array.isArray(types) || types.length === 0) {
    throw new ValidationError("uploads.allowedTypes", "uploads.allowedTypes must be a non-empty array of MIME types.");
  }
  const allowedTypes = new Set<string>();
  for (const type of types) {
    const canonical = typeof type === "string" ? canonicalMediaType(type) : "";
    if (!MIME_PATTERN.test(canonical)) {
      throw new ValidationError(
        "uploads.allowedTypes",
        `${JSON.stringify(type)} is not a MIME type such as video/mp4.`,
      );
    }
    allowedTypes.add(canonical);
  }
  return {
    maxBytes,
    allowedTypes,
    bodyTimeoutMs: durationMs("bodyTimeoutMs", options.bodyTimeoutMs, DEFAULT_UPLOAD_BODY_TIMEOUT_MS),
    bodyIdleTimeoutMs: durationMs("bodyIdleTimeoutMs", options.bodyIdleTimeoutMs, DEFAULT_UPLOAD_IDLE_TIMEOUT_MS),
  };
}

/** A positive, finite duration option of `uploads`, or its default. */
function durationMs(name: "bodyTimeoutMs" | "bodyIdleTimeoutMs", value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ValidationError(
      `uploads.${name}`,
      `uploads.${name} must be a positive number of milliseconds, got ${String(value)}.`,
    );
  }
  return value;
}
