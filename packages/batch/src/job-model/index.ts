export {
  type Checkpoint,
  type CheckpointStep,
  type CreatedCheckpoint,
  type CreatingCheckpoint,
  type DownloadedCheckpoint,
  isCheckpoint,
  type JobSnapshot,
  type JobState,
  type PlannedCheckpoint,
  type RecordedError,
  type TerminalCheckpoint,
  type UploadedCheckpoint,
} from "./checkpoints.js";
export {
  type BatchJob,
  defaultJobId,
  inputFingerprint,
  isUrl,
  jobIdempotencyKey,
  MEDIA_FIELDS,
  type MediaField,
  WIRE_FIELD,
} from "./job.js";
export { inputsChanged, type NextStep, type NextStepOptions, nextStep, UPLOAD_REUSE_MS } from "./next-step.js";
export { applyCheckpoint, emptySnapshot, snapshotsFrom } from "./snapshot.js";
export type { CheckpointStore } from "./store.js";
