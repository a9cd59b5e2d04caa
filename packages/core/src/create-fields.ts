import { ValidationError } from "./errors.js";
import { describe, parseHttpUrl } from "./field-text.js";
import type { LipSyncParams } from "./models.js";

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

/**
 * {@link validateCreateParams} without the `callback_url` check, which needs the address rules
 * (about 2 kB): `lipSync.create` loads that check with `import()` only when a callback is
 * given, so a page that never sets one never downloads it.
 */
export function validateCreateFields(params: unknown): LipSyncParams & { model: "videoretalk" } {
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
  return { ...(input as unknown as LipSyncParams), model: "videoretalk" as const };
}
