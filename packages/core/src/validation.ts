/**
 * `@videoretalk/core/validation`: the checks `lipSync.create` and `tasks.get` run before sending
 * anything, for code that validates input itself (a manifest reader, a proxy, a form) and must
 * agree with the client exactly.
 *
 * They live on a subpath because the callback-URL rules (address ranges, unambiguous-URL
 * parsing) are only needed when a callback is set: the client loads them with `import()` then,
 * and a module the main entry exported by value would be pulled into every app's first load.
 *
 * @example
 * ```ts
 * import { validateCreateParams } from "@videoretalk/core/validation";
 * const body = validateCreateParams(row); // throws ValidationError naming the field
 * ```
 */

export { refusedHostReason } from "./address-rules.js";
export { MAX_BATCH_TASK_IDS } from "./batch-limit.js";
export { MAX_CALLBACK_URL_LENGTH } from "./callback-url.js";
export { FACE_THRESHOLD_RANGE } from "./field-checks.js";
export { isLoopbackHost } from "./loopback-host.js";
export { validateTaskIds } from "./task-ids.js";
export { parseUnambiguousUrl } from "./url-text.js";
export { validateCreateParams } from "./validate.js";
export { IDEMPOTENCY_KEY_PATTERN, validateIdempotencyKey, validateTaskId } from "./validate-ids.js";
