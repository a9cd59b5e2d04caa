import { type FailureContext, responseError } from "./failure-loader.js";
import { parseJson } from "./response-parts.js";
import type { BufferedResponse } from "./transport.js";

/** What reading a response needs besides the response: secrets to redact, the clock, the task. */
export type ResultContext = FailureContext;

/**
 * Turns a buffered response into its JSON body, or rejects with the typed error: an HTTP error
 * becomes its `APIError` subclass; a 2xx body that `accept` refuses (not JSON, or not the
 * documented shape, described by `shape`) is a base `APIError`, because the call may well have
 * succeeded. The one reader of every answer: `readTaskResult` uses it for single tasks, the
 * resources whose answers are not a task call it directly.
 */
export async function readJsonResult<T>(
  response: BufferedResponse,
  context: ResultContext,
  accept: (body: unknown) => body is T,
  shape: string,
): Promise<T> {
  // Parsed once: a 2xx body of the wrong shape goes to the error as it is.
  const body = response.ok ? parseJson(response.text) : undefined;
  if (body !== undefined && accept(body)) return body;
  throw await responseError(response, context, shape, body);
}

/** A JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
