/**
 * `@videoretalk/batch`: run a catalogue of lip-sync jobs on one machine, crash-safe and
 * resumable. The job model (checkpoints, resume rules, idempotency keys) is exported for other
 * stores (e.g. `@videoretalk/bullmq`). Named re-exports only.
 */
export * from "./job-model/index.js";
export {
  DEFAULT_JOURNAL_NAME,
  JournalCorruptError,
  type JournalInfo,
  JsonlJournal,
  type OpenJournalOptions,
  openJournal,
} from "./journal/jsonl-journal.js";
export { JournalLockedError } from "./journal/lock-file.js";
export { ManifestError, type ManifestProblem } from "./manifest/problems.js";
export {
  manifestLineOf,
  parseManifest,
  type ReadManifestOptions,
  readManifest,
} from "./manifest/read-manifest.js";
export { detectFormat, type ManifestFormat } from "./manifest/read-rows.js";
export { MANIFEST_FIELDS } from "./manifest/validate-row.js";
export { Budget } from "./run/budget.js";
export type { RunContext } from "./run/context.js";
export { type CreateOutcome, createParams, createWithKey } from "./run/create-task.js";
export { CreateWindow } from "./run/create-window.js";
export { checkCredits, InsufficientBalanceError, spendableCredits } from "./run/credit-check.js";
export { describeBatch, localFiles, type PlannedAction } from "./run/describe-batch.js";
export { RateControl, Semaphore } from "./run/rate-control.js";
export { DEFAULT_CONCURRENCY, JobInputsChangedError, runBatch } from "./run/run-batch.js";
export {
  hashFile,
  outputIsValid,
  removeStaleParts,
  type SavedFile,
  type SaveResultOptions,
  saveResult,
} from "./run/save-result.js";
export { exitCodeOf, type RunCounters, summaryOf } from "./run/summary.js";
export { BATCH_READ_LIMIT, TaskPoller, type TaskPollerOptions } from "./run/task-poller.js";
export type {
  BatchClient,
  BatchEvent,
  BatchSummary,
  CreditsBalance,
  JobOutcome,
  JobOutcomeStatus,
  RunBatchOptions,
} from "./run/types.js";
export { FALLBACK_FILE_STEM, isInside, outputPathFor, safeFileStem } from "./safe-file-name.js";
