import { type BatchJob, isUrl, MEDIA_FIELDS, WIRE_FIELD } from "@videoretalk/batch";
import { type LipSyncParams, ValidationError } from "@videoretalk/core";

/**
 * The create body of a job: URLs as given, local files replaced by their uploaded URLs, plus the
 * callback URL when callbacks are on.
 *
 * @throws {ValidationError} naming the field when a local file has no uploaded URL.
 */
export function createParams(
  job: BatchJob,
  urls: Partial<Record<"video_url" | "audio_url" | "ref_image_url", string>>,
  callbackUrl: string | undefined,
): LipSyncParams {
  const media: Partial<Record<"video_url" | "audio_url" | "ref_image_url", string>> = {};
  for (const field of MEDIA_FIELDS) {
    const value = job[field];
    if (value === undefined) continue;
    const wire = WIRE_FIELD[field];
    const url = isUrl(value) ? value : urls[wire];
    if (url === undefined) {
      throw new ValidationError(field, `${field} is a local file (${value}) that was not uploaded before enqueueing.`);
    }
    media[wire] = url;
  }
  return {
    video_url: media.video_url as string,
    audio_url: media.audio_url as string,
    ...(media.ref_image_url !== undefined ? { ref_image_url: media.ref_image_url } : {}),
    ...(job.video_extension !== undefined ? { video_extension: job.video_extension } : {}),
    ...(job.query_face_threshold !== undefined ? { query_face_threshold: job.query_face_threshold } : {}),
    ...(callbackUrl !== undefined ? { callback_url: callbackUrl } : {}),
  };
}
