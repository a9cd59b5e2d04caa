/** The flag (or environment variable) a user types for each API field or client option. */
const FLAG_FOR_FIELD: Record<string, string> = {
  video_url: "--video",
  audio_url: "--audio",
  ref_image_url: "--ref-image",
  video_extension: "--extend",
  query_face_threshold: "--threshold",
  callback_url: "--callback-url",
  idempotencyKey: "--idempotency-key",
  apiKey: "EVOLINK_API_KEY",
  baseUrl: "--base-url",
  filesBaseUrl: "--files-base-url",
  task_id: "<id>",
  destination: "--out",
};

/** The flag behind a core `ValidationError.field`, or the field itself when it has none. */
export function flagForField(field: string): string {
  return FLAG_FOR_FIELD[field] ?? field;
}

/** Rewrites a core validation message so it speaks of flags, not wire names. */
export function messageForFlag(field: string, message: string): string {
  const flag = flagForField(field);
  if (flag === field) return message;
  return message.includes(field) ? message.split(field).join(flag) : `${flag}: ${message}`;
}
