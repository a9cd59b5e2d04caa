export { BASE_DELAY_MS, type BackoffJitter, type BackoffOptions, backoffDelayMs, MAX_BACKOFF_MS } from "./backoff.js";
export { MAX_BATCH_TASK_IDS } from "./batch-limit.js";
export { createVideoRetalk, type VideoRetalkClient } from "./client.js";
export { type Clock, sleep, systemClock } from "./clock.js";
export { readEnv } from "./env.js";
// errorFromResponse is on the `@videoretalk/core/http-errors` subpath (see http-errors.ts for why).
export type { ErrorResponseInput } from "./error-from-response.js";
export {
  APIConnectionError,
  APIError,
  type APIErrorBody,
  type APIErrorInit,
  APITimeoutError,
  AuthenticationError,
  BadRequestError,
  InsufficientCreditsError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestAbortedError,
  ValidationError,
  VideoRetalkError,
  type VideoRetalkErrorInit,
} from "./errors.js";
export { loadFailureCode } from "./failure-loader.js";
// The full set of input checks (with validateCreateParams and the callback rules) is on the
// `@videoretalk/core/validation` subpath; see validation.ts for why.
// validateTaskId and validateIdempotencyKey are on `@videoretalk/core/validation`: their messages
// load on demand here (see field-checks.ts).
export { FACE_THRESHOLD_RANGE, IDEMPOTENCY_KEY_PATTERN } from "./field-checks.js";
export type { FilesResource, UploadOptions } from "./files/files-resource.js";
export { DEFAULT_UPLOAD_TIMEOUT_MS, MAX_UPLOAD_BYTES } from "./files/limits.js";
export type { UploadProgress } from "./files/multipart.js";
export type { UploadInput } from "./files/upload-source.js";
export type { components, operations, paths, webhooks } from "./generated/schema.js";
export { newIdempotencyKey } from "./idempotency-key.js";
export type { Logger } from "./logger.js";
export { isLoopbackHost } from "./loopback-host.js";
export {
  type CreatedTask,
  type Credits,
  type ErrorResponseBody,
  isTerminalStatus,
  type LipSyncParams,
  TASK_STATUS_PHASE,
  type Task,
  type TaskFailure,
  type TaskInfo,
  type TaskStatus,
  type TaskUsage,
} from "./models.js";
export {
  API_KEY_ENV,
  BASE_URL_ENV,
  DEFAULT_BASE_URL,
  DEFAULT_FILES_BASE_URL,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  FILES_BASE_URL_ENV,
  type VideoRetalkOptions,
} from "./options.js";
export { requestIdOf } from "./read-result.js";
export type { CreateRequestOptions, RequestOptions } from "./request-options.js";
export type { CreditsResource } from "./resources/credits.js";
export type { LipSyncResource } from "./resources/lip-sync.js";
export type { TasksResource } from "./resources/tasks.js";
// The retry decisions (isRetryable, parseRetryAfterMs, retryDelay, MAX_RETRY_AFTER_MS) are on
// the `@videoretalk/core/retry` subpath: the client loads them only when a call fails.
export type { AttemptOutcome, RetryDelay, RetryPolicy } from "./retry.js";
export {
  type SpanLike,
  type TraceAttributeValue,
  type TracerLike,
  type TracerProviderLike,
  traceCall,
  tracerProviderFrom,
} from "./tracing/tracing.js";
export { isTransientError } from "./transient.js";
