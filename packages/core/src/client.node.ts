import { buildClient, type VideoRetalkClient } from "./client.js";
import * as failurePath from "./failure-path.js";
import { openPath } from "./node/open-path.js";
import type { VideoRetalkOptions } from "./options.js";
import { createTimeoutScheduler } from "./timeout-scheduler.js";

/**
 * Creates a client for the Evolink VideoRetalk API (Node build: `files.upload()` also accepts
 * file paths).
 *
 * @example
 * ```ts
 * import { createVideoRetalk } from "@videoretalk/core";
 *
 * const client = createVideoRetalk(); // reads EVOLINK_API_KEY
 * const video_url = await client.files.upload("./speaker.mp4");
 * const task = await client.lipSync.create({ video_url, audio_url: "https://example.com/speech.wav" });
 * ```
 * @throws {ValidationError} synchronously for options that can never work, and in a browser
 *   unless `dangerouslyAllowBrowser` is set. A missing key is reported by the first request.
 */
export function createVideoRetalk(options: VideoRetalkOptions = {}): VideoRetalkClient {
  // Server code pays nothing for a module loaded up front, and its failures are then described
  // without an extra asynchronous step.
  const client = buildClient(options, {
    openPath,
    createTimeouts: createTimeoutScheduler,
    failures: () => Promise.resolve(failurePath),
  });
  // `console.log(client)` shows where it points and whether a key is set (never the key), as
  // its JSON does; only Node-style consoles read this symbol, so browser bundles go without.
  Object.defineProperty(client, Symbol.for("nodejs.util.inspect.custom"), {
    value: () => `VideoRetalkClient ${JSON.stringify(client)}`,
  });
  return client;
}
