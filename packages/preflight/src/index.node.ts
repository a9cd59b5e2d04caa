import { checkWith, type LipSyncInputs } from "./check.js";
import { type InspectOptions, inspectWith } from "./inspect.js";
import { pathReader } from "./path-reader.js";
import type { LipSyncCheck, MediaFacts, MediaSource } from "./types.js";

/**
 * The Node build (picked by the `node` export condition): everything index.ts exports, with
 * `inspectMedia` and `checkLipSyncInputs` replaced by versions that also accept plain file
 * paths. A module's own exports take precedence over the names `export *` brings in, so only
 * these two functions differ between the builds.
 */
export * from "./index.js";

/**
 * Reads what a media source is: a file path, a `Blob`/`File` or an http(s) URL.
 *
 * @example
 * ```ts
 * const facts = await inspectMedia("speaker.mp4");
 * // { kind: "video", container: "mp4", durationS: 4, width: 640, height: 640, fps: 25, ... }
 * ```
 */
export function inspectMedia(source: MediaSource, options: InspectOptions = {}): Promise<MediaFacts> {
  return inspectWith(source, options, pathReader);
}

/**
 * Inspects a lip-sync task's inputs (paths, Blobs, URLs or facts) and checks them against
 * VideoRetalk's limits; also tells the seconds the task would bill.
 *
 * @example
 * ```ts
 * const check = await checkLipSyncInputs({ video: "speaker.mp4", audio: "speech.wav" });
 * if (!check.ok) process.exitCode = 1;
 * ```
 */
export function checkLipSyncInputs(inputs: LipSyncInputs, options: InspectOptions = {}): Promise<LipSyncCheck> {
  return checkWith(inputs, options, pathReader);
}
