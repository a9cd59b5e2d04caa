import { HttpResponse, http, type RequestHandler } from "msw";
import { apiErrorBody, invalidRequest } from "../api-errors.js";
import type { JsonReply } from "../files-api.js";
import { httpScenarioEffect } from "../http-scenarios.js";
import { parseScenarios, SCENARIO_HEADER, type Scenario } from "../scenarios.js";
import type { TaskJson } from "../task-store.js";
import { createReply, unauthorized } from "./create-reply.js";
import { type EmulatorHandlersOptions, resolveOptions } from "./options.js";
import { createState, type HandlerState, resultsPath } from "./state.js";

/** What {@link createEmulatorHandlers} returns. */
export interface EmulatorHandlers {
  /** The MSW request handlers: pass them to `setupServer(...)` / `setupWorker(...)`. */
  handlers: RequestHandler[];
  /** Every task created so far, as `GET /v1/tasks/{id}` would answer now. */
  tasks(): TaskJson[];
  /** Forgets every task, idempotency key and scenario count (e.g. in `afterEach`). */
  reset(): void;
}

let requestCounter = 0;

function json(reply: JsonReply): Response {
  requestCounter += 1;
  const headers = { "X-Request-Id": `msw${Date.now()}${requestCounter}`, ...reply.headers };
  return HttpResponse.json(reply.body as Record<string, unknown>, { status: reply.status, headers });
}

function authorized(state: HandlerState, request: Request): boolean {
  const { apiKey } = state.options;
  return apiKey === undefined || request.headers.get("authorization") === `Bearer ${apiKey}`;
}

/** The header's scenarios, or the 400 the emulator answers to a scenario it does not know. */
function headerScenarios(request: Request): Scenario[] | JsonReply {
  const parsed = parseScenarios(request.headers.get(SCENARIO_HEADER));
  if (parsed.ok) return parsed.scenarios;
  return { status: 400, body: invalidRequest("invalid_parameter", parsed.message, SCENARIO_HEADER) };
}

async function getTask(state: HandlerState, request: Request, taskId: string): Promise<JsonReply> {
  if (!authorized(state, request)) return unauthorized("task");
  const scenarios = headerScenarios(request);
  if (!Array.isArray(scenarios)) return scenarios;
  const effect = httpScenarioEffect(scenarios, "task", `task:${taskId}`, state.counter);
  if (effect.delayMs > 0) await state.options.sleep(effect.delayMs);
  if (effect.reply) return effect.reply;
  const task = state.tasks.get(taskId);
  if (!task) return { status: 404, body: apiErrorBody("task", 404) };
  return { status: 200, body: state.tasks.view(task) };
}

function getResult(state: HandlerState, file: string): Response {
  const taskId = file.replace(/\.mp4$/, "");
  const task = state.tasks.get(taskId);
  const status = state.resultStatus.get(taskId);
  if (!task || state.tasks.view(task).status !== "completed") return new HttpResponse(null, { status: 404 });
  if (status !== undefined) return new HttpResponse(null, { status });
  const { bytes, contentType } = state.options.result;
  return new HttpResponse(bytes.slice(), {
    status: 200,
    headers: { "Content-Type": contentType, "Content-Length": String(bytes.byteLength) },
  });
}

/**
 * MSW handlers that answer like the emulator — the same task state machine, validation and
 * failure scenarios — without a server, for component tests and Storybook stories. Tasks walk
 * `pending → processing → completed` on `now` (default `Date.now`) at `speed`.
 *
 * Not emulated: the Files API, callbacks (`callback_url` is validated, never called) and
 * `drop-after` (no connection to cut; it is a 400).
 *
 * @example
 * ```ts
 * import { createEmulatorHandlers } from "@videoretalk/emulator/msw";
 * import { setupServer } from "msw/node";
 *
 * const emulator = createEmulatorHandlers({ baseUrl: "https://app.example/api/videoretalk", speed: 100 });
 * const server = setupServer(...emulator.handlers);
 * beforeAll(() => server.listen());
 * afterEach(() => emulator.reset());
 * afterAll(() => server.close());
 * ```
 * @throws {RangeError} for a `speed` that is not a positive number or a bad `videoDurationS`.
 */
export function createEmulatorHandlers(options: EmulatorHandlersOptions = {}): EmulatorHandlers {
  const resolved = resolveOptions(options);
  let state = createState(resolved);
  const base = resolved.baseUrl;
  const handlers = [
    http.post(`${base}/v1/videos/generations`, async ({ request }) => {
      if (!authorized(state, request)) return json(unauthorized("create"));
      const scenarios = headerScenarios(request);
      return json(Array.isArray(scenarios) ? await createReply(state, request, scenarios) : scenarios);
    }),
    http.get(`${base}/v1/tasks/:taskId`, async ({ request, params }) =>
      json(await getTask(state, request, String(params.taskId))),
    ),
    http.get(`${base}${resultsPath}:file`, ({ params }) => getResult(state, String(params.file))),
  ];
  return {
    handlers,
    tasks: () =>
      state.ids.flatMap((id) => {
        const task = state.tasks.get(id);
        return task ? [state.tasks.view(task)] : [];
      }),
    reset: () => {
      state = createState(resolved);
    },
  };
}
