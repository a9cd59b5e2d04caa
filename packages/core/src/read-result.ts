import { isJsonObject, type ResultContext, readJsonResult } from "./read-json-result.js";
import { requestIdFrom } from "./response-parts.js";
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

/** The least a 2xx answer must be to count as a task: an object with a string `id` and `status`. */
function isTaskBody(body: unknown): body is { id: string; status: string } {
  return isJsonObject(body) && typeof body.id === "string" && typeof body.status === "string";
}

/**
 * Turns a buffered response into a task object, or throws the typed error (see `readJsonResult`).
 * A 2xx body must be a JSON object with a string `id` and `status`; anything else is a base
 * `APIError`, because the call may have succeeded and the caller must not assume it did not.
 */
export async function readTaskResult<T>(response: BufferedResponse, context: ResultContext): Promise<T> {
  const task = await readJsonResult(response, context, isTaskBody, "a task ({ id, status })");
  responseHeaders.set(task, { headers: response.headers, secrets: context.secrets });
  return task as T;
}
