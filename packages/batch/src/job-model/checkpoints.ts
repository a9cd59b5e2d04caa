/**
 * Checkpoints: the steps of a job, each written down (journal line fsynced, queue job data
 * updated) before the next one starts. A store keeps them; {@link applyCheckpoint} folds them
 * into a {@link JobSnapshot}.
 */

/** An error as recorded: the API's or the task's code and message, never a stack or a key. */
export interface RecordedError {
  code: string;
  message: string;
}

interface Base {
  /** The job this step belongs to. */
  job: string;
  /** Local time of the step, ms since the epoch. */
  at: number;
}

/** The job was seen in a manifest, with this fingerprint of its inputs. */
export interface PlannedCheckpoint extends Base {
  step: "planned";
  fingerprint: string;
}
/** Local files were uploaded; their Files API URLs (valid 72 h). */
export interface UploadedCheckpoint extends Base {
  step: "uploaded";
  urls: Partial<Record<"video_url" | "audio_url" | "ref_image_url", string>>;
}
/** Written before the create POST: the key that every attempt of this create carries. */
export interface CreatingCheckpoint extends Base {
  step: "creating";
  idempotencyKey: string;
  /** 1 for the first task; +1 for each `--retry-failed`. */
  attempt: number;
}
/** The task exists. */
export interface CreatedCheckpoint extends Base {
  step: "created";
  taskId: string;
  creditsReserved?: number | undefined;
}
/** The task reached a terminal status. */
export interface TerminalCheckpoint extends Base {
  step: "terminal";
  status: "completed" | "failed" | "cancelled";
  error?: RecordedError | undefined;
}
/** The result is on disk, renamed into place, with its size and checksum. */
export interface DownloadedCheckpoint extends Base {
  step: "downloaded";
  path: string;
  bytes: number;
  sha256: string;
}

export type Checkpoint =
  | PlannedCheckpoint
  | UploadedCheckpoint
  | CreatingCheckpoint
  | CreatedCheckpoint
  | TerminalCheckpoint
  | DownloadedCheckpoint;

export type CheckpointStep = Checkpoint["step"];

/**
 * Where a job stands, as far as its checkpoints say:
 * `planned → uploaded → creating → created → completed → downloaded`, or `failed` / `cancelled`.
 */
export type JobState =
  | "planned"
  | "uploaded"
  | "creating"
  | "created"
  | "completed"
  | "failed"
  | "cancelled"
  | "downloaded";

/** Everything a resume needs to know about one job: its checkpoints folded together. */
export interface JobSnapshot {
  job: string;
  state: JobState;
  fingerprint?: string | undefined;
  /** Uploaded file URLs, with the time they were uploaded (links are valid 72 h). */
  urls: Partial<Record<"video_url" | "audio_url" | "ref_image_url", string>>;
  uploadedAt?: number | undefined;
  attempt: number;
  idempotencyKey?: string | undefined;
  taskId?: string | undefined;
  creditsReserved?: number | undefined;
  error?: RecordedError | undefined;
  output?: { path: string; bytes: number; sha256: string } | undefined;
}

const STEPS: ReadonlySet<string> = new Set(["planned", "uploaded", "creating", "created", "terminal", "downloaded"]);

/** Whether `value` has the shape of a checkpoint (used when reading a store back). */
export function isCheckpoint(value: unknown): value is Checkpoint {
  if (value === null || typeof value !== "object") return false;
  const record = value as Record<string, unknown>;
  return typeof record.job === "string" && typeof record.step === "string" && STEPS.has(record.step);
}
