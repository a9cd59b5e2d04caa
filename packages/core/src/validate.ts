import { checkCallbackUrl } from "./callback-url.js";
import { createBody, createFieldsProblem } from "./field-checks.js";
import { fieldProblemError } from "./field-messages.js";
import type { LipSyncParams } from "./models.js";

/**
 * Client-side checks mirrored from the constraints in spec/videoretalk.openapi.yaml. They run
 * before anything is sent, so a typo never costs a request (or credits), and each failure names
 * the field by its wire name. `lipSync.create` runs the same checks (field-checks.ts).
 */

/**
 * Checks create parameters and returns the body to send (with `model` defaulted and
 * `callback_url` in the normalised form that was checked).
 *
 * @example
 * ```ts
 * import { validateCreateParams } from "@videoretalk/core/validation";
 *
 * const body = validateCreateParams({ video_url, audio_url }); // { model: "videoretalk", video_url, audio_url }
 * ```
 * @throws {ValidationError} naming the first offending field.
 */
export function validateCreateParams(params: unknown): LipSyncParams & { model: "videoretalk" } {
  const problem = createFieldsProblem(params);
  if (problem) throw fieldProblemError(problem);
  const body = createBody(params as LipSyncParams);
  if (body.callback_url !== undefined) body.callback_url = checkCallbackUrl(body.callback_url);
  return body;
}
