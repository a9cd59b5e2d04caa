import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { invalidRequest } from "./api-errors.js";
import { canonicalJson } from "./canonical-json.js";
import { type EmulatorContext, resolveHosted } from "./context.js";
import type { JsonReply } from "./files-api.js";
import { httpScenarioEffect } from "./http-scenarios.js";
import { BodyTooLargeError, headerValue, parseJson, readBody, sleep } from "./http-utils.js";
import { type HostedMedia, mp4DurationS, sample } from "./media.js";
import { mediaLimitOutcome } from "./media-limits.js";
import { parseScenarios, type Scenario, scenarioFromUrl } from "./scenarios.js";
import { creditsForDuration, type NewTask } from "./task-store.js";
import type { TaskOutcome } from "./timeline.js";
import {
  type CreateParams,
  IDEMPOTENCY_KEY_PATTERN,
  isValidationError,
  validateCreateBody,
} from "./validate-create.js";

/**
 * `POST /v1/videos/generations`: validates the body like the real API, applies scenarios from
 * the header and from `video_url`'s `scenario` query parameter, replays idempotent retries, and
 * creates a task whose result is the input video when the emulator hosts it.
 */

const MAX_CREATE_BODY_BYTES = 64 * 1024;

function fingerprint(text: string): string {
  const parsed = parseJson(text);
  return createHash("sha256")
    .update(parsed ? canonicalJson(parsed.value) : text)
    .digest("hex");
}

/** Decides the task's outcome: an explicit scenario wins, then inputs the emulator cannot serve. */
function outcomeFor(context: EmulatorContext, params: CreateParams, scenarios: readonly Scenario[]): TaskOutcome {
  let outcome: TaskOutcome | undefined;
  for (const scenario of scenarios) {
    if (scenario.kind === "fail") outcome = { kind: "failed", code: scenario.code };
    if (scenario.kind === "cancel") outcome = { kind: "cancelled" };
  }
  if (outcome) return outcome;
  for (const field of ["video_url", "audio_url", "ref_image_url"] as const) {
    const url = params[field];
    if (url !== undefined && resolveHosted(context, url) === "missing") {
      const code = field === "ref_image_url" ? "image_processing_error" : "invalid_parameters";
      return {
        kind: "failed",
        code,
        message: `Failed to download ${field} (HTTP 404).\nCheck that the URL is reachable.`,
      };
    }
  }
  return mediaLimitOutcome(context, params) ?? { kind: "completed" };
}

function newTask(context: EmulatorContext, params: CreateParams, scenarios: readonly Scenario[]): NewTask {
  const hosted = resolveHosted(context, params.video_url);
  const result: HostedMedia = hosted && hosted !== "missing" ? hosted : sample("speaker.mp4");
  const task: NewTask = {
    params,
    outcome: outcomeFor(context, params, scenarios),
    result,
    videoDurationS: Math.max(1, Math.round(mp4DurationS(result.bytes) ?? 10)),
  };
  for (const scenario of scenarios) {
    if (scenario.kind === "result-status") task.resultStatus = scenario.status;
    if (scenario.kind === "drop-after") task.dropAfter = { bytes: scenario.bytes, times: scenario.times };
  }
  return task;
}

/** Handles a create request whose bearer token was already accepted. */
export async function createTask(
  req: IncomingMessage,
  context: EmulatorContext,
  headerScenarios: readonly Scenario[],
  token: string,
): Promise<JsonReply> {
  let text: string;
  try {
    text = (await readBody(req, MAX_CREATE_BODY_BYTES)).toString("utf8");
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    return {
      status: 400,
      body: invalidRequest("invalid_request", `The request body must be at most ${MAX_CREATE_BODY_BYTES} bytes`),
      headers: { Connection: "close" },
    };
  }
  const parsed = parseJson(text);
  const body = parsed?.value as Record<string, unknown> | undefined;

  const fromUrl = parseScenarios(scenarioFromUrl(body?.video_url));
  if (!fromUrl.ok) return { status: 400, body: invalidRequest("invalid_parameter", fromUrl.message, "video_url") };
  const scenarios = [...headerScenarios, ...fromUrl.scenarios];
  const bodyFingerprint = fingerprint(text);

  const effect = httpScenarioEffect(scenarios, "create", `create:${bodyFingerprint}`, context.counter);
  await sleep(effect.delayMs, context.signal, context.clock);
  if (effect.reply) return effect.reply;
  const limited = context.accounting.admitCreateRequest();
  if (limited) return limited;

  if (!parsed) return { status: 400, body: invalidRequest("invalid_request", "The request body is not valid JSON") };
  const key = headerValue(req, "idempotency-key");
  if (key !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    return {
      status: 400,
      body: invalidRequest(
        "invalid_idempotency_key",
        "Idempotency-Key must be 16-96 characters from A-Z, a-z, 0-9, '.', '_' and '-'",
        "Idempotency-Key",
      ),
    };
  }
  const params = validateCreateBody(parsed.value);
  if (isValidationError(params)) {
    return { status: 400, body: invalidRequest(params.code, params.message, params.param) };
  }

  const storeKey = key === undefined ? undefined : `${token}\n${key}`;
  const stored = storeKey === undefined ? undefined : context.idempotency.get(storeKey);
  if (stored) {
    if (stored.fingerprint !== bodyFingerprint) {
      // The spec documents no 409 on create, so a reused key is a 400 like other bad requests.
      return {
        status: 400,
        body: invalidRequest(
          "idempotency_conflict",
          "This Idempotency-Key was already used with a different request body",
          "Idempotency-Key",
        ),
      };
    }
    context.accounting.count("createsReplayed");
    return { status: 200, body: stored.body, headers: { "Idempotency-Replayed": "true" } };
  }

  const planned = newTask(context, params, scenarios);
  const refused = context.accounting.admitNewTask(creditsForDuration(planned.videoDurationS));
  if (refused) return refused;
  const task = context.tasks.create(planned);
  context.accounting.taskCreated(task, key);
  const answer = context.tasks.view(task, task.createdAtMs);
  if (storeKey !== undefined) context.idempotency.set(storeKey, { fingerprint: bodyFingerprint, body: answer });
  if (params.callback_url !== undefined) context.scheduleCallback(task);
  return { status: 200, body: answer, headers: key === undefined ? {} : { "Idempotency-Replayed": "false" } };
}
