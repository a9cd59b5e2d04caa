import { type Task, ValidationError } from "@videoretalk/core";
import { abortError } from "./abort.js";
import { type DownloadNetwork, fetchNetwork, withNetwork } from "./network.js";
import { type DownloadOptions, type DownloadResult, type DownloadSettings, resolveSettings } from "./options.js";
import { type DownloadSource, resolveSource } from "./source.js";
import { traceDownload } from "./trace-download.js";
import { transfer } from "./transfer.js";
import type { DownloadSink } from "./transfer-state.js";

export type { DownloadOptions, DownloadProgress, DownloadResult, HostLookup, ResolvedAddress } from "./options.js";

/** True for a WHATWG `WritableStream`, also one from another realm or polyfill. */
export function isWritableStream(value: unknown): value is WritableStream<Uint8Array> {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as WritableStream).getWriter === "function" &&
    typeof (value as WritableStream).abort === "function"
  );
}

/**
 * Streams into a `WritableStream`, honouring its backpressure (`writer.ready`). Closes it on
 * success and aborts it with the error on failure, like `ReadableStream.pipeTo()`.
 */
export async function downloadToStream(
  source: DownloadSource,
  stream: WritableStream<Uint8Array>,
  settings: DownloadSettings,
  network: DownloadNetwork,
): Promise<DownloadResult<WritableStream<Uint8Array>>> {
  if (settings.signal?.aborted) throw abortError(settings.signal, source);
  const writer = stream.getWriter();
  let written = 0;
  const sink: DownloadSink = {
    async write(chunk) {
      await writer.ready;
      // Not awaited: the next `ready` applies backpressure, and a failed write errors the stream,
      // which rejects the next `ready` or the final `close()`.
      writer.write(chunk).catch(() => {});
      written += chunk.byteLength;
    },
    async restart() {
      return written === 0;
    },
    cannotRestartReason: "bytes already written to a WritableStream cannot be taken back",
  };
  try {
    const outcome = await transfer(source, sink, settings, network);
    await writer.close();
    return {
      bytes: outcome.bytes,
      url: source.url,
      destination: stream,
      contentType: outcome.contentType,
      resumes: outcome.resumes,
    };
  } catch (error) {
    // Not awaited: a stalled destination must not delay the rejection.
    writer.abort(error).catch(() => {});
    throw error;
  } finally {
    try {
      writer.releaseLock();
    } catch {
      // Already released by abort/close in some implementations.
    }
  }
}

/**
 * Downloads a task's result video (or any result URL) into a `WritableStream`, chunk by chunk,
 * so memory stays flat whatever the size.
 *
 * This is the build for browsers, Deno, Bun and edge runtimes. Under Node.js the package's
 * `node` export condition selects a version that also accepts a file path.
 *
 * - No API key or `Authorization` header is sent: result links are pre-signed.
 * - Only public https targets are fetched unless `allowPrivateNetwork: true`: the URL and every
 *   redirect (followed by hand, at most `maxRedirects`, default 5) are checked by scheme and
 *   literal host. This build cannot resolve DNS, so a public name pointing at a private address
 *   is not caught here (the Node.js build checks the addresses too). In browsers, which hide
 *   redirect targets, the browser follows redirects and only the final URL is checked.
 * - The size is checked against `Content-Length`, and against `maxBytes` (default 2 GiB).
 * - A dropped connection is resumed with `Range: bytes=<received>-` (up to `maxRetries`, default 3,
 *   times). If the server ignores the `Range` and sends the whole file again, a stream cannot
 *   be rewound, so the download fails with `DownloadError`.
 * - The stream is closed on success and aborted with the error on failure.
 *
 * @param taskOrUrl - A completed task (its `results[options.index ?? 0]` is used) or a result URL.
 * @param destination - A `WritableStream<Uint8Array>`. A file path needs Node.js.
 * @returns `{ bytes, url, destination, contentType, resumes }` once the stream is closed.
 * @throws {ValidationError} the task is not completed or has no results (`field` `status` /
 *   `results` / `index`), bad options, or a file path outside Node.js (`field: "destination"`).
 * @throws {DownloadTargetRefusedError} the URL or a redirect is not a public https target;
 *   nothing was sent to it.
 * @throws {DownloadTooLargeError} the result is larger than `maxBytes`.
 * @throws {ResultExpiredError} the link answered 403, 404 or 410 (links expire after 24 h).
 * @throws {DownloadError} any other HTTP error (`status`), a size that does not match
 *   `Content-Length`, or a connection that kept dropping.
 * @throws {APIConnectionError} the result host could not be reached at all.
 * @throws {RequestAbortedError} `options.signal` fired.
 *
 * @example
 * ```ts
 * const task = await waitForTask(client, taskId);
 * const chunks: Uint8Array[] = [];
 * await downloadResult(task, new WritableStream({ write: (c) => void chunks.push(c) }), {
 *   onProgress: ({ receivedBytes, totalBytes }) => console.log(receivedBytes, "/", totalBytes),
 * });
 * const video = new Blob(chunks, { type: "video/mp4" });
 * ```
 */
export async function downloadResult<D extends WritableStream<Uint8Array>>(
  taskOrUrl: Task | string,
  destination: D,
  options?: DownloadOptions,
): Promise<DownloadResult<D>>;
export async function downloadResult(
  taskOrUrl: Task | string,
  destination: WritableStream<Uint8Array> | string,
  options?: DownloadOptions,
): Promise<DownloadResult>;
export async function downloadResult(
  taskOrUrl: Task | string,
  destination: WritableStream<Uint8Array> | string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const settings = resolveSettings(options);
  const source = resolveSource(taskOrUrl, options.index, settings);
  if (typeof destination === "string") {
    throw new ValidationError(
      "destination",
      "Saving to a file path needs Node.js (the `node` build of @videoretalk/polling); in this runtime pass a WritableStream.",
      { taskId: source.taskId },
    );
  }
  if (!isWritableStream(destination)) {
    throw new ValidationError("destination", "destination must be a WritableStream<Uint8Array>.", {
      taskId: source.taskId,
    });
  }
  return traceDownload(source, () =>
    withNetwork(fetchNetwork, options, settings, (network) => downloadToStream(source, destination, settings, network)),
  );
}
