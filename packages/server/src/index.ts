export { CALLBACK_TOKEN_PARAM, type CallbackUrlOptions, callbackUrl, MIN_SECRET_LENGTH } from "./callback-token.js";
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
export { DEFAULT_MAX_BODY_BYTES } from "./read-body.js";
export {
  createWebhookHandler,
  DEDUPE_TTL_MS,
  REFETCH_DEADLINE_MS,
  type WebhookContext,
  type WebhookHandlerOptions,
} from "./webhook-handler.js";
