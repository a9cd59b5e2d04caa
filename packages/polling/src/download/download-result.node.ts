import { type Task, ValidationError } from "@videoretalk/core";
import { abortError } from "./abort.js";
import { downloadToStream, isWritableStream } from "./download-result.js";
import { type DownloadNetwork, withNetwork } from "./network.js";
import { nodeNetwork } from "./network.node.js";
import { type DownloadOptions, type DownloadResult, type DownloadSettings, resolveSettings } from "./options.js";
import { type DownloadSource, resolveSource } from "./source.js";
import { createTempFile } from "./temp-file.node.js";
import { traceDownload } from "./trace-download.js";
import { transfer } from "./transfer.js";

export type { DownloadOptions, DownloadProgress, DownloadResult, HostLookup, ResolvedAddress } from "./options.js";

/**
 * Downloads into a temp file next to `path`, then renames it to `path` once complete. On any
 * failure or abort the temp file is deleted before the promise rejects.
 */
async function downloadToFile(
  source: DownloadSource,
  path: string,
  settings: DownloadSettings,
  network: DownloadNetwork,
): Promise<DownloadResult<string>> {
  const { signal } = settings;
  if (signal?.aborted) throw abortError(signal, source);
  const temp = await createTempFile(path, source);
  try {
    const outcome = await transfer(source, temp.sink, settings, network);
    await temp.commit(() => {
      if (signal?.aborted) throw abortError(signal, source);
    });
    return {
      bytes: outcome.bytes,
      url: source.url,
      destination: temp.finalPath,
      contentType: outcome.contentType,
      resumes: outcome.resumes,
    };
  } catch (error) {
    await temp.discard();
    throw error;
  }
}

/**
 * Downloads a task's result video (or any result URL) to a file path or a `WritableStream`,
 * chunk by chunk, so memory stays flat whatever the size (a 1 GB download stays within a few MB
 * of RSS; see `bench/download-rss.mjs`).
 *
 * This is the Node.js build, picked by the `node` export condition. For a path:
 * - bytes go to a hidden temp file next to it (`.<name>.<random>.part`), which is fsynced and
 *   renamed to `destination` only when complete and verified, so no partial file ever carries
 *   the final name; an existing file there is replaced atomically at that moment;
 * - on any failure or abort the temp file is deleted before the promise rejects;
 * - if a resumed request is answered with the whole file (the server ignored `Range`), the temp
 *   file is truncated and the download starts over.
 *
 * In every case: no API key or `Authorization` header is sent (result links are pre-signed),
 * the size is checked against `Content-Length` and `maxBytes` (default 2 GiB), and a dropped
 * connection is resumed with `Range: bytes=<received>-` up to `maxRetries` (default 3) times.
 *
 * Only public https targets are fetched unless `allowPrivateNetwork: true`: the URL, every
 * redirect (followed by hand, at most `maxRedirects`, default 5) and every address its host name
 * resolves to must be public. Connections go to exactly the addresses checked, so DNS cannot
 * point a public name at 127.0.0.1, 10.x, 169.254.169.254, ::1 or fc00::/7.
 *
 * @param taskOrUrl - A completed task (its `results[options.index ?? 0]` is used) or a result URL.
 * @param destination - A file path (relative paths resolve against `process.cwd()`; the folder
 *   must exist), or a `WritableStream<Uint8Array>`, which is closed on success and aborted on failure.
 * @returns `{ bytes, url, destination, contentType, resumes }`; for a path, `destination` is absolute.
 * @throws {ValidationError} the task is not completed or has no results (`field` `status` /
 *   `results` / `index`), or bad options or destination.
 * @throws {DownloadTargetRefusedError} the URL, a redirect or a resolved address is not a public
 *   https target; nothing was sent to it. The message names the host, never the query.
 * @throws {DownloadTooLargeError} the result is larger than `maxBytes`; no file is left.
 * @throws {ResultExpiredError} the link answered 403, 404 or 410 (links expire after 24 h); the
 *   message says how old the task is.
 * @throws {DownloadError} any other HTTP error (`status`), a size that does not match
 *   `Content-Length`, a connection that kept dropping, or a file-system error (`cause`).
 * @throws {APIConnectionError} the result host could not be reached at all.
 * @throws {RequestAbortedError} `options.signal` fired; the temp file is already gone.
 *
 * @example
 * ```ts
 * import { downloadResult, waitForTask } from "@videoretalk/polling";
 *
 * const task = await waitForTask(client, taskId);
 * const { destination, bytes } = await downloadResult(task, "./out/result.mp4", {
 *   onProgress: ({ receivedBytes, totalBytes }) => console.log(receivedBytes, "/", totalBytes),
 *   signal: AbortSignal.timeout(10 * 60_000),
 * });
 * console.log(`saved ${bytes} bytes to ${destination}`);
 * ```
 */
export async function downloadResult(
  taskOrUrl: Task | string,
  destination: string,
  options?: DownloadOptions,
): Promise<DownloadResult<string>>;
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
    if (destination.trim() === "") {
      throw new ValidationError("destination", "destination must be a file path or a WritableStream.", {
        taskId: source.taskId,
      });
    }
    return traceDownload(source, () =>
      withNetwork(nodeNetwork, options, settings, (network) => downloadToFile(source, destination, settings, network)),
    );
  }
  if (!isWritableStream(destination)) {
    throw new ValidationError("destination", "destination must be a file path or a WritableStream<Uint8Array>.", {
      taskId: source.taskId,
    });
  }
  return traceDownload(source, () =>
    withNetwork(nodeNetwork, options, settings, (network) => downloadToStream(source, destination, settings, network)),
  );
}
