/**
 * Everything a call needs only when it fails: the retry loop, the typed error of an HTTP error
 * or an unexpected body (message, headers, redacted body), the connection error of a fetch that
 * threw, and the messages of refused input. The browser build loads this with `import()` on the
 * first failure (see failure-loader.ts), so pages whose calls succeed never download it; the
 * Node build imports it up front.
 */

export { describeResponse } from "./describe-response.js";
export { fieldProblemError } from "./field-messages.js";
export { continueCall } from "./retry-loop.js";
