import type { IncomingMessage } from "node:http";
import { invalidRequest } from "./api-errors.js";
import type { EmulatorContext } from "./context.js";
import type { JsonReply } from "./files-api.js";
import { BodyTooLargeError, parseJson, readBody } from "./http-utils.js";
import type { TaskJson } from "./task-store.js";

/**
 * `POST /v1/tasks/batch` (`{task_ids:[…]}` → `{object:"list", data:[task…]}`), the batch read of
 * Evolink's official clients: 1–50 ids, each task at this instant as `GET /v1/tasks/{id}` shows
 * it; unknown ids are simply absent, and an id asked for twice is listed once.
 */

/** Most ids one batch read accepts, as in the spec. */
export const MAX_BATCH_TASK_IDS = 50;
const MAX_BATCH_BODY_BYTES = 64 * 1024;

const refuse = (message: string): JsonReply => ({
  status: 400,
  body: invalidRequest("invalid_parameter", message, "task_ids"),
});

/** Reads the ids of a batch request, or says why they are refused. */
function taskIdsOf(text: string): string[] | JsonReply {
  const parsed = parseJson(text);
  if (!parsed) return { status: 400, body: invalidRequest("invalid_request", "The request body is not valid JSON") };
  const body = parsed.value;
  const ids =
    body !== null && typeof body === "object" && !Array.isArray(body)
      ? (body as { task_ids?: unknown }).task_ids
      : undefined;
  if (!Array.isArray(ids)) return refuse("task_ids must be an array of task ids");
  if (ids.length < 1 || ids.length > MAX_BATCH_TASK_IDS) {
    return refuse(`task_ids must hold between 1 and ${MAX_BATCH_TASK_IDS} task ids, got ${ids.length}`);
  }
  if (!ids.every((id) => typeof id === "string" && id !== "")) {
    return refuse("every task id must be a non-empty string");
  }
  return ids as string[];
}

/** Handles a batch read whose bearer token was already accepted. */
export async function batchReadTasks(req: IncomingMessage, context: EmulatorContext): Promise<JsonReply> {
  context.accounting.count("batchReads");
  let text: string;
  try {
    text = (await readBody(req, MAX_BATCH_BODY_BYTES)).toString("utf8");
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    return {
      ...refuse(`The request body must be at most ${MAX_BATCH_BODY_BYTES} bytes`),
      headers: { Connection: "close" },
    };
  }
  const ids = taskIdsOf(text);
  if (!Array.isArray(ids)) return ids;
  const nowMs = context.clock.now();
  const data: TaskJson[] = [];
  for (const id of new Set(ids)) {
    const task = context.tasks.get(id);
    if (task) data.push(context.tasks.view(task, nowMs));
  }
  return { status: 200, body: { object: "list", data } };
}
