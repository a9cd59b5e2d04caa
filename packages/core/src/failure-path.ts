/**
 * Everything a call needs only when it fails: the typed error of an HTTP error or an unexpected
 * body, with its message, headers and redacted body, and the connection error of a fetch that
 * threw. The browser build loads this with `import()` on the first failure (see
 * failure-loader.ts), so pages whose calls succeed never download it; the Node build imports it
 * up front.
 */
export { connectionError } from "./connection-error.js";
export { errorFromResponse, unexpectedBodyError } from "./error-from-response.js";
