import { checkWith, type LipSyncInputs } from "./check.js";
import { type InspectOptions, inspectWith } from "./inspect.js";
import type { LipSyncCheck, MediaFacts, MediaSource } from "./types.js";

/**
 * @videoretalk/preflight for browsers and other runtimes without file paths (the Node build,
 * index.node.ts, adds them). Everything here is small; the parser loads on the first call.
 */

/**
 * Reads what a media source is: container, length, size, picture size, frame rate and codecs.
 * Reads only the ranges it needs (a `Blob` is sliced, a URL gets `Range` requests). A file that
 * is not media comes back with kind `unknown`.
 *
 * @example
 * ```ts
 * const facts = await inspectMedia(fileInput.files[0]);
 * console.log(facts.durationS, facts.width, facts.height);
 * ```
 */
export function inspectMedia(source: MediaSource, options: InspectOptions = {}): Promise<MediaFacts> {
  return inspectWith(source, options, undefined);
}

/**
 * Inspects a lip-sync task's inputs and checks them against VideoRetalk's limits
 * (spec/media-limits.json); also tells the seconds the task would bill.
 *
 * @example
 * ```ts
 * const check = await checkLipSyncInputs({ video: videoFile, audio: audioFile });
 * if (!check.ok) for (const p of check.problems) console.warn(p.message);
 * ```
 */
export function checkLipSyncInputs(inputs: LipSyncInputs, options: InspectOptions = {}): Promise<LipSyncCheck> {
  return checkWith(inputs, options, undefined);
}

export { billableSeconds, type LipSyncInputs } from "./check.js";
export { MediaReadError, PreflightError, PreflightInputError } from "./errors.js";
export { evaluateInput, formatValue } from "./evaluate.js";
export type { InspectOptions } from "./inspect.js";
export {
  type InputName,
  limitsFor,
  MEDIA_LIMITS,
  MEDIA_LIMITS_SOURCES,
  MEDIA_LIMITS_VERSION,
  type MediaLimit,
  type Severity,
} from "./limits.js";
export type { ParserOptions } from "./mediainfo-parser.js";
export type { LipSyncCheck, MediaFacts, MediaKind, MediaSource, PreflightProblem } from "./types.js";
