import { createHash } from "node:crypto";

/** The media fields of a job: each an http(s) URL or a local file path. */
export const MEDIA_FIELDS = ["video", "audio", "ref_image"] as const;
export type MediaField = (typeof MEDIA_FIELDS)[number];

/** The create-call field each media field becomes once it is a URL. */
export const WIRE_FIELD: Record<MediaField, "video_url" | "audio_url" | "ref_image_url"> = {
  video: "video_url",
  audio: "audio_url",
  ref_image: "ref_image_url",
};

/**
 * One lip-sync job of a batch: the inputs of one task and where its result goes. Local paths are
 * already absolute (the manifest reader resolves them against the manifest's folder).
 */
export interface BatchJob {
  /** Unique within the batch; names the journal entries and the default output file. */
  id: string;
  /** Talking-head video: an http(s) URL or an absolute local path (uploaded first). */
  video: string;
  /** Target speech audio: an http(s) URL or an absolute local path. */
  audio: string;
  /** Optional frontal face of the target person: URL or absolute local path. */
  ref_image?: string | undefined;
  /** Extend the video to the audio's length. */
  video_extension?: boolean | undefined;
  /** Face-matching threshold, 120–200. */
  query_face_threshold?: number | undefined;
  /** Output file; default `<out-dir>/<safe id>.mp4`. Resolved by whoever runs the batch. */
  out?: string | undefined;
}

/** Whether a media value is a URL (sent as is) rather than a local file (uploaded first). */
export function isUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

function base64url(bytes: Buffer): string {
  return bytes.toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The inputs that decide what is created, in a fixed key order (the output path is not one). */
function canonicalInputs(job: Omit<BatchJob, "id"> & { id?: string }): string {
  return JSON.stringify([
    job.video,
    job.audio,
    job.ref_image ?? null,
    job.video_extension ?? null,
    job.query_face_threshold ?? null,
  ]);
}

/**
 * A short, stable fingerprint of a job's inputs (video, audio, ref image, options; not the id or
 * the output path). The journal keeps it so a resume can tell when a manifest row changed.
 *
 * @example
 * inputFingerprint({ video: "https://x/a.mp4", audio: "https://x/a.wav" }); // "3q2m…" (22 chars)
 */
export function inputFingerprint(job: Omit<BatchJob, "id"> & { id?: string }): string {
  return base64url(createHash("sha256").update(canonicalInputs(job)).digest()).slice(0, 22);
}

/**
 * The id a manifest row without one gets: `job-` plus 16 hex characters of a SHA-256 of its
 * inputs, so the same row always gets the same id (and therefore resumes).
 */
export function defaultJobId(job: Omit<BatchJob, "id">): string {
  return `job-${createHash("sha256").update(canonicalInputs(job)).digest("hex").slice(0, 16)}`;
}

/**
 * The `Idempotency-Key` of a job's create call: `vrb_` plus base64url(SHA-256 of the job id, its
 * inputs and the attempt number), 47 characters of `[A-Za-z0-9._-]`. Deterministic, so even a
 * lost journal line cannot produce a second task where the API honours keys; `attempt` only
 * grows when a failed job is retried on purpose (`--retry-failed`), which must create a new task.
 *
 * @example
 * const key = jobIdempotencyKey({ id: "intro-de", video: "https://x/a.mp4", audio: "https://x/de.wav" });
 * // "vrb_…" — the same string on every run and every machine
 */
export function jobIdempotencyKey(job: BatchJob, attempt = 1): string {
  const digest = createHash("sha256")
    .update(JSON.stringify(["videoretalk-batch/1", job.id, canonicalInputs(job), attempt]))
    .digest();
  return `vrb_${base64url(digest)}`;
}
