import { createBody, createFieldsProblem } from "./field-checks.js";
import { fieldProblemError } from "./field-messages.js";
import type { LipSyncParams } from "./models.js";

export { FACE_THRESHOLD_RANGE } from "./field-checks.js";

/**
 * {@link validateCreateParams} without the `callback_url` host rules, which need the address
 * ranges (about 2 kB): `lipSync.create` runs the same checks (field-checks.ts) and loads the
 * callback rules with `import()` only when a callback is given.
 *
 * @throws {ValidationError} naming the first refused field.
 */
export function validateCreateFields(params: unknown): LipSyncParams & { model: "videoretalk" } {
  const problem = createFieldsProblem(params);
  if (problem) throw fieldProblemError(problem);
  return createBody(params as LipSyncParams);
}
