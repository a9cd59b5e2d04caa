import type { JobSnapshot, RecordedError } from "./checkpoints.js";
import { type BatchJob, inputFingerprint, isUrl, jobIdempotencyKey, MEDIA_FIELDS, WIRE_FIELD } from "./job.js";

/** Files API links are valid 72 h; uploads older than this are redone before a create. */
export const UPLOAD_REUSE_MS = 70 * 3_600_000;

/** What a job needs next, decided from its snapshot alone. */
export type NextStep =
  /** Upload these local files (media field → absolute path), then create. */
  | { kind: "upload"; files: Partial<Record<"video_url" | "audio_url" | "ref_image_url", string>> }
  /**
   * Create the task with this key. `retried` is true for a `--retry-failed` of a failed task
   * (a new key, hence a new task); `resumed` is true when a create with this key may already
   * have been sent (state `creating`), so the API replays it instead of creating a second task.
   */
  | { kind: "create"; idempotencyKey: string; attempt: number; retried: boolean; resumed: boolean }
  /** The task exists: wait for it (and download its result). Never create again. */
  | { kind: "wait"; taskId: string }
  /** The result was downloaded: check the file (size and SHA-256); if it is gone, wait again. */
  | { kind: "verify"; taskId: string; output: { path: string; bytes: number; sha256: string } }
  /** The task failed or was cancelled, and retrying was not asked for. */
  | { kind: "failed"; taskId: string | undefined; error: RecordedError | undefined; status: "failed" | "cancelled" };

/** Options of {@link nextStep}. */
export interface NextStepOptions {
  /** Create a new task (new key) for a failed or cancelled job. Default false. */
  retryFailed?: boolean | undefined;
  /** Local time, ms; decides whether earlier uploads are still usable. */
  now: number;
}

/** The local files of a job that have no usable uploaded URL yet. */
function filesToUpload(job: BatchJob, snapshot: JobSnapshot, now: number) {
  const fresh = snapshot.uploadedAt !== undefined && now - snapshot.uploadedAt < UPLOAD_REUSE_MS;
  const files: Partial<Record<"video_url" | "audio_url" | "ref_image_url", string>> = {};
  for (const field of MEDIA_FIELDS) {
    const value = job[field];
    if (value === undefined || isUrl(value)) continue;
    const wire = WIRE_FIELD[field];
    if (!fresh || snapshot.urls[wire] === undefined) files[wire] = value;
  }
  return files;
}

function createStep(job: BatchJob, snapshot: JobSnapshot, attempt: number, retried: boolean, now: number): NextStep {
  const files = filesToUpload(job, snapshot, now);
  if (Object.keys(files).length > 0) return { kind: "upload", files };
  return { kind: "create", idempotencyKey: jobIdempotencyKey(job, attempt), attempt, retried, resumed: false };
}

/**
 * The resume rules, as one pure function: what `job` needs next given its `snapshot`.
 *
 * - `downloaded` → verify the file (skip when its checksum holds);
 * - `created` / `completed` → wait on the task id, never create again;
 * - `creating` → create again with the **same** key (the API replays the first answer);
 * - `planned` / `uploaded` → upload what is missing, then create with the job's derived key;
 * - `failed` / `cancelled` → report, or with `retryFailed` create anew with attempt + 1.
 *
 * @example
 * const step = nextStep(job, snapshotsFrom(await store.load()).get(job.id) ?? emptySnapshot(job.id), { now: Date.now() });
 */
export function nextStep(job: BatchJob, snapshot: JobSnapshot, options: NextStepOptions): NextStep {
  switch (snapshot.state) {
    case "downloaded":
      if (snapshot.output && snapshot.taskId)
        return { kind: "verify", taskId: snapshot.taskId, output: snapshot.output };
      return snapshot.taskId
        ? { kind: "wait", taskId: snapshot.taskId }
        : createStep(job, snapshot, 1, false, options.now);
    case "created":
    case "completed":
      if (snapshot.taskId) return { kind: "wait", taskId: snapshot.taskId };
      return createStep(job, snapshot, Math.max(1, snapshot.attempt), false, options.now);
    case "creating":
      return {
        kind: "create",
        idempotencyKey: snapshot.idempotencyKey ?? jobIdempotencyKey(job, snapshot.attempt),
        attempt: snapshot.attempt,
        retried: false,
        resumed: true,
      };
    case "failed":
    case "cancelled":
      if (options.retryFailed) return createStep(job, snapshot, snapshot.attempt + 1, true, options.now);
      return { kind: "failed", taskId: snapshot.taskId, error: snapshot.error, status: snapshot.state };
    default:
      return createStep(job, snapshot, 1, false, options.now);
  }
}

/** Whether the journal knew this job with different inputs (the manifest row changed). */
export function inputsChanged(job: BatchJob, snapshot: JobSnapshot | undefined): boolean {
  return snapshot?.fingerprint !== undefined && snapshot.fingerprint !== inputFingerprint(job);
}
