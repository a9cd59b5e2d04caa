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

/** What reading a response needs besides the response: secrets to redact, the clock, the task. */
export interface ResultContext {
  secrets: readonly string[];
  now: () => number;
  taskId?: string | undefined;
}

/**
 * Turns a buffered response into its JSON body, or throws the typed error: an HTTP error becomes
 * its `APIError` subclass; a 2xx body that `accept` refuses (not JSON, or not the documented
 * shape, described by `shape`) is a base `APIError`, because the call may well have succeeded.
 * The one reader of every answer: `readTaskResult` uses it for single tasks, the resources whose
 * answers are not a task call it directly.
 */
export function readJsonResult<T>(
  response: BufferedResponse,
  context: ResultContext,
  accept: (body: unknown) => body is T,
  shape: string,
): T {
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
  if (body !== undefined && accept(body)) return body;
  const requestId = requestIdFrom(response.headers, context.secrets);
  const what =
    body === undefined
      ? describeUnreadableBody(response.text, response.headers.get("content-type"))
      : `JSON that is not ${shape}`;
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

/** A JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
