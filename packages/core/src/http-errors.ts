/**
 * `@videoretalk/core/http-errors`: turning an HTTP error response into the SDK's typed error, for
 * code that makes its own requests (a proxy, an upload helper) and wants the same errors as the
 * client. A subpath rather than the main entry so that the message-building code stays out of the
 * main bundle: the client loads it only when a call fails.
 *
 * @example
 * ```ts
 * import { errorFromResponse } from "@videoretalk/core/http-errors";
 *
 * const response = await fetch(url);
 * if (!response.ok) {
 *   throw errorFromResponse({ status: response.status, headers: response.headers, text: await response.text(), secrets: [], nowMs: Date.now() });
 * }
 * ```
 */
export { type ErrorResponseInput, errorFromResponse } from "./error-from-response.js";
export { type APIErrorClass, errorClassForStatus } from "./status-error-class.js";
