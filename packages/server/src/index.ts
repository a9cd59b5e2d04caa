export { CALLBACK_TOKEN_PARAM, type CallbackUrlOptions, callbackUrl, MIN_SECRET_LENGTH } from "./callback-token.js";
export type { AuthorizeResult } from "./idempotency-scope.js";
export {
  createMemoryStore,
  DEFAULT_MAX_STORE_ENTRIES,
  type MemoryStoreOptions,
  type WebhookStore,
} from "./memory-store.js";
export { ProxyError, type ProxyErrorInit } from "./proxy-error.js";
export {
  createProxyHandler,
  type FetchHandler,
  type ProxyClient,
  type ProxyHandlerOptions,
  type ProxyOperation,
} from "./proxy-handler.js";
export { UPLOAD_PATH } from "./proxy-routes.js";
export { DEFAULT_MAX_BODY_BYTES } from "./read-body.js";
export {
  DEFAULT_UPLOAD_BODY_TIMEOUT_MS,
  DEFAULT_UPLOAD_IDLE_TIMEOUT_MS,
  DEFAULT_UPLOAD_MAX_BYTES,
  DEFAULT_UPLOAD_TYPES,
  type ProxyUploadOptions,
} from "./upload-options.js";
export {
  createWebhookHandler,
  DEDUPE_TTL_MS,
  DEFAULT_CLAIM_TTL_MS,
  IN_FLIGHT_RETRY_AFTER_S,
  REFETCH_DEADLINE_MS,
  type WebhookContext,
  type WebhookHandlerOptions,
} from "./webhook-handler.js";
