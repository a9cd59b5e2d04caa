/**
 * `@videoretalk/polling`: wait for VideoRetalk tasks with an adaptive polling schedule, watch
 * their progress, and download their results. Named re-exports only.
 */
export { type CompletedTask, isCompletedTask } from "./completed-task.js";
export { type CreateAndWaitOptions, createAndWait } from "./create-and-wait.js";
// --- download (written alongside; Node's entry, index.node.ts, swaps in the file-path version) ---
export {
  type DownloadOptions,
  type DownloadProgress,
  type DownloadResult,
  downloadResult,
  type HostLookup,
  type ResolvedAddress,
} from "./download/download-result.js";
export {
  DEFAULT_DOWNLOAD_IDLE_TIMEOUT_MS,
  DEFAULT_DOWNLOAD_MAX_BYTES,
  DEFAULT_DOWNLOAD_MAX_REDIRECTS,
  DEFAULT_DOWNLOAD_MAX_RETRIES,
} from "./download/options.js";
// --- end download ---
export {
  DownloadError,
  DownloadTargetRefusedError,
  DownloadTooLargeError,
  ResultExpiredError,
  TaskCancelledError,
  TaskFailedError,
  WaitTimeoutError,
} from "./errors.js";
// The schedule itself (`nextPollDelayMs`, `predictCompletion`) is on the `@videoretalk/polling/schedule`
// subpath: `waitForTask` loads it with `import()` (see watch-task.ts), which a by-value export here
// would defeat. Its types and default bounds cost nothing and stay.
export type { CompletionPrediction, PollObservation, PollScheduleOptions } from "./schedule.js";
export { DEFAULT_MAX_INTERVAL_MS, DEFAULT_MIN_INTERVAL_MS } from "./schedule-defaults.js";
export { terminalTaskError } from "./terminal-error.js";
export { type WaitForTaskOptions, waitForTask } from "./wait-for-task.js";
export {
  DEFAULT_WAIT_TIMEOUT_MS,
  isTransient,
  type TaskReader,
  type WatchTaskOptions,
  watchTask,
} from "./watch-task.js";
