import { apiErrorBody, invalidRequest } from "../api-errors.js";
import { canonicalJson } from "../canonical-json.js";
import type { JsonReply } from "../files-api.js";
import { httpScenarioEffect } from "../http-scenarios.js";
import type { HostedMedia } from "../media.js";
import { parseScenarios, type Scenario, scenarioFromUrl } from "../scenarios.js";
import type { TaskOutcome } from "../timeline.js";
import {
  type CreateParams,
  IDEMPOTENCY_KEY_PATTERN,
  isValidationError,
  validateCreateBody,
} from "../validate-create.js";
import type { HandlerState } from "./state.js";

/**
 * `POST /v1/videos/generations` for the MSW handlers: the same validation, scenarios and
 * idempotent replay as the emulator's server (create-task.ts), on a Fetch `Request`.
 */

function parseBody(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

function outcomeOf(scenarios: readonly Scenario[]): TaskOutcome {
  let outcome: TaskOutcome = { kind: "completed" };
  for (const scenario of scenarios) {
    if (scenario.kind === "fail") outcome = { kind: "failed", code: scenario.code };
    if (scenario.kind === "cancel") outcome = { kind: "cancelled" };
  }
  return outcome;
}

function createTask(state: HandlerState, params: CreateParams, scenarios: readonly Scenario[]) {
  const { options } = state;
  const task = state.tasks.create({
    params,
    outcome: outcomeOf(scenarios),
    // The store only keeps the media for the result route; its bytes are never read as a Buffer.
    result: { bytes: options.result.bytes, mimeType: options.result.contentType } as unknown as HostedMedia,
    videoDurationS: options.videoDurationS,
  });
  const status = scenarios.find((scenario) => scenario.kind === "result-status");
  if (status) state.resultStatus.set(task.id, status.status);
  return task;
}

/** Answers one create request whose token was accepted. */
export async function createReply(
  state: HandlerState,
  request: Request,
  headerScenarios: Scenario[],
): Promise<JsonReply> {
  const text = await request.text();
  const parsed = parseBody(text);
  const body = parsed?.value as Record<string, unknown> | undefined;
  const fromUrl = parseScenarios(scenarioFromUrl(body?.video_url));
  if (!fromUrl.ok) return { status: 400, body: invalidRequest("invalid_parameter", fromUrl.message, "video_url") };
  const scenarios = [...headerScenarios, ...fromUrl.scenarios];
  if (scenarios.some((scenario) => scenario.kind === "drop-after")) {
    const message = "drop-after needs a real connection to cut; use startEmulator() for it";
    return { status: 400, body: invalidRequest("invalid_parameter", message, "video_url") };
  }
  const fingerprint = parsed ? canonicalJson(parsed.value) : text;

  const effect = httpScenarioEffect(scenarios, "create", `create:${fingerprint}`, state.counter);
  if (effect.delayMs > 0) await state.options.sleep(effect.delayMs);
  if (effect.reply) return effect.reply;

  if (!parsed) return { status: 400, body: invalidRequest("invalid_request", "The request body is not valid JSON") };
  const key = request.headers.get("idempotency-key") ?? undefined;
  if (key !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    const message = "Idempotency-Key must be 16-96 characters from A-Z, a-z, 0-9, '.', '_' and '-'";
    return { status: 400, body: invalidRequest("invalid_idempotency_key", message, "Idempotency-Key") };
  }
  const params = validateCreateBody(parsed.value);
  if (isValidationError(params))
    return { status: 400, body: invalidRequest(params.code, params.message, params.param) };

  const stored = key === undefined ? undefined : state.idempotency.get(key);
  if (stored) {
    if (stored.fingerprint !== fingerprint) {
      const message = "This Idempotency-Key was already used with a different request body";
      return { status: 400, body: invalidRequest("idempotency_conflict", message, "Idempotency-Key") };
    }
    return { status: 200, body: stored.body, headers: { "Idempotency-Replayed": "true" } };
  }
  const task = createTask(state, params, scenarios);
  const answer = state.tasks.view(task, task.createdAtMs);
  if (key !== undefined) state.idempotency.set(key, { fingerprint, body: answer });
  return { status: 200, body: answer, headers: key === undefined ? {} : { "Idempotency-Replayed": "false" } };
}

/** The 401 the API answers to a missing or wrong key. */
export const unauthorized = (route: "create" | "task"): JsonReply => ({ status: 401, body: apiErrorBody(route, 401) });
