import { checkCallbackUrl } from "./callback-url.js";
import { validateCreateFields } from "./create-fields.js";
import type { LipSyncParams } from "./models.js";

/**
 * Client-side checks mirrored from the constraints in spec/videoretalk.openapi.yaml. They run
 * before anything is sent, so a typo never costs a request (or credits), and each failure names
 * the field by its wire name.
 */

/**
 * Checks create parameters and returns the body to send (with `model` defaulted and
 * `callback_url` in the normalised form that was checked).
 *
 * @throws {ValidationError} naming the first offending field.
 */
export function validateCreateParams(params: unknown): LipSyncParams & { model: "videoretalk" } {
  const body = validateCreateFields(params);
  if (body.callback_url !== undefined) body.callback_url = checkCallbackUrl(body.callback_url);
  return body;
}
