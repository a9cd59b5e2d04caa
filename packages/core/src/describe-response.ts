import { errorFromResponse, unexpectedBodyError } from "./error-from-response.js";
import type { APIError } from "./errors.js";
import type { FailureContext } from "./failure-loader.js";
import type { BufferedResponse } from "./transport.js";

/**
 * The error for a response that is not a success of the expected shape: an HTTP error becomes
 * its `APIError` subclass; a 2xx body that is not `shape` (`body`: the parsed JSON, `undefined`
 * when it is not JSON) is a base `APIError`.
 */
export function describeResponse(
  response: BufferedResponse,
  context: FailureContext,
  shape: string,
  body: unknown,
): APIError {
  if (response.ok) return unexpectedBodyError(response, body, context, shape);
  return errorFromResponse({
    status: response.status,
    headers: response.headers,
    text: response.text,
    secrets: context.secrets,
    nowMs: context.now(),
    idempotencyKey: response.idempotencyKey,
    taskId: context.taskId,
  });
}
