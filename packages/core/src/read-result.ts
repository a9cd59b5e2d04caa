import {
  describeUnreadableBody,
  errorFromResponse,
  headersToRecord,
  parseJson,
  requestIdFrom,
} from "./error-from-response.js";
import { APIError } from "./errors.js";
import { redactJson } from "./redact.js";
import type { BufferedResponse } from "./transport.js";

// Response headers of returned tasks, kept off the objects so they serialise exactly as the API
// sent them; the request id is read from them only when asked for (off the hot path).
const responseHeaders = new WeakMap<object, { headers: Headers; secrets: readonly string[] }>();

/**
 * The gateway request id (`X-Request-Id`) of the response a task object came from, if any.
 *
 * @example
 * ```ts
 * const task = await client.tasks.get(id);
 * console.log(requestIdOf(task));
 * ```
 */
export function requestIdOf(task: object): string | undefined {
  const seen = responseHeaders.get(task);
  return seen ? requestIdFrom(seen.headers, seen.secrets) : undefined;
}

export interface ResultContext {
  secrets: readonly string[];
  now: () => number;
  taskId?: string | undefined;
}

/**
 * Turns a buffered response into a task object, or throws the typed error. A 2xx body must be a
 * JSON object with a string `id` and `status`; anything else is a base `APIError`, because the
 * call may have succeeded and the caller must not assume it did not.
 */
export function readTaskResult<T>(response: BufferedResponse, context: ResultContext): T {
  const { idempotencyKey } = response;
  if (!response.ok) {
    throw errorFromResponse({
      status: response.status,
      headers: response.headers,
      text: response.text,
      secrets: context.secrets,
      nowMs: context.now(),
      idempotencyKey,
      taskId: context.taskId,
    });
  }
  const body = parseJson(response.text);
  if (
    body !== null &&
    typeof body === "object" &&
    typeof (body as { id?: unknown }).id === "string" &&
    typeof (body as { status?: unknown }).status === "string"
  ) {
    responseHeaders.set(body, { headers: response.headers, secrets: context.secrets });
    return body as T;
  }
  const requestId = requestIdFrom(response.headers, context.secrets);
  const what =
    body === undefined
      ? describeUnreadableBody(response.text, response.headers.get("content-type"))
      : "JSON without a task id and status";
  throw new APIError(
    `${response.status}: the API answered with ${what}${requestId ? ` (request id: ${requestId})` : ""}.`,
    {
      status: response.status,
      requestId,
      headers: headersToRecord(response.headers, context.secrets),
      body: redactJson(body, context.secrets),
      idempotencyKey,
      taskId: context.taskId,
    },
  );
}
