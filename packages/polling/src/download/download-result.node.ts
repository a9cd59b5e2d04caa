import { randomBytes } from "node:crypto";
import { type FileHandle, open, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { type Task, ValidationError } from "@videoretalk/core";
import { DownloadError } from "../errors.js";
import { downloadToStream, isWritableStream } from "./download-result.js";
import {
  abortError,
  type DownloadOptions,
  type DownloadResult,
  type DownloadSink,
  type DownloadSource,
  resolveSource,
  transfer,
} from "./transfer.js";

export type { DownloadOptions, DownloadProgress, DownloadResult } from "./transfer.js";

function fsFailure(action: string, path: string, error: unknown, source: DownloadSource, bytes: number): DownloadError {
  const code = (error as { code?: unknown }).code;
  return new DownloadError(`Could not ${action} ${path}${typeof code === "string" ? ` (${code})` : ""}.`, {
    bytesReceived: bytes,
    taskId: source.taskId,
    cause: error,
  });
}

async function removeQuietly(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch {
    // Already gone, or never created.
  }
}

/**
 * Downloads into `<dir>/.<name>.<random>.part`, then fsyncs, closes and renames it to `path`.
 * The rename is atomic within a folder, so `path` only ever holds a complete, verified file
 * (an existing file there is replaced at that moment). On any failure or abort the temp file is
 * deleted before the promise rejects.
 */
async function downloadToFile(
  source: DownloadSource,
  path: string,
  options: DownloadOptions,
): Promise<DownloadResult<string>> {
  if (options.signal?.aborted) throw abortError(options.signal, source);
  const finalPath = resolve(path);
  const name = basename(finalPath);
  const existing = await stat(finalPath).catch(() => undefined);
  if (name === "" || /[\\/]$/.test(path) || existing?.isDirectory()) {
    throw new ValidationError("destination", `destination must be a file path, not a folder: ${path}`, {
      taskId: source.taskId,
    });
  }
  const folder = dirname(finalPath);
  const tempPath = join(folder, `.${name}.${randomBytes(6).toString("hex")}.part`);

  let handle: FileHandle | undefined;
  try {
    // `wx`: never reuse or clobber an existing file, even one with our random name.
    handle = await open(tempPath, "wx");
  } catch (error) {
    // Nothing was sent yet: a missing or read-only folder is a problem with the destination.
    const code = (error as { code?: unknown }).code;
    throw new ValidationError(
      "destination",
      `Cannot create a file in ${folder}${typeof code === "string" ? ` (${code})` : ""}; the folder must exist and be writable.`,
      { taskId: source.taskId, cause: error },
    );
  }

  let position = 0;
  const file = handle;
  const sink: DownloadSink = {
    async write(chunk) {
      try {
        let offset = 0;
        // A write may be short; keep going until the whole chunk is on disk.
        while (offset < chunk.byteLength) {
          const { bytesWritten } = await file.write(chunk, offset, chunk.byteLength - offset, position);
          offset += bytesWritten;
          position += bytesWritten;
        }
      } catch (error) {
        throw fsFailure("write to", tempPath, error, source, position);
      }
    },
    async restart() {
      try {
        await file.truncate(0);
      } catch (error) {
        throw fsFailure("truncate", tempPath, error, source, position);
      }
      position = 0;
      return true;
    },
  };

  let closed = false;
  try {
    const outcome = await transfer(source, sink, options);
    try {
      // Flush to disk before the rename, so a crash cannot leave a short file under the final name.
      await file.sync();
      closed = true;
      await file.close();
    } catch (error) {
      throw fsFailure("flush", tempPath, error, source, position);
    }
    if (options.signal?.aborted) throw abortError(options.signal, source);
    try {
      await rename(tempPath, finalPath);
    } catch (error) {
      throw fsFailure("rename the download to", finalPath, error, source, position);
    }
    return {
      bytes: outcome.bytes,
      url: source.url,
      destination: finalPath,
      contentType: outcome.contentType,
      resumes: outcome.resumes,
    };
  } catch (error) {
    if (!closed) await file.close().catch(() => {});
    await removeQuietly(tempPath);
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
 * the size is checked against `Content-Length`, and a dropped connection is resumed with
 * `Range: bytes=<received>-` up to `maxRetries` (default 3) times.
 *
 * @param taskOrUrl - A completed task (its `results[options.index ?? 0]` is used) or a result URL.
 * @param destination - A file path (relative paths resolve against `process.cwd()`; the folder
 *   must exist), or a `WritableStream<Uint8Array>`, which is closed on success and aborted on failure.
 * @returns `{ bytes, url, destination, contentType, resumes }`; for a path, `destination` is absolute.
 * @throws {ValidationError} the task is not completed or has no results (`field` `status` /
 *   `results` / `index`), or bad options or destination.
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
  const source = resolveSource(taskOrUrl, options);
  if (typeof destination === "string") {
    if (destination.trim() === "") {
      throw new ValidationError("destination", "destination must be a file path or a WritableStream.", {
        taskId: source.taskId,
      });
    }
    return downloadToFile(source, destination, options);
  }
  if (!isWritableStream(destination)) {
    throw new ValidationError("destination", "destination must be a file path or a WritableStream<Uint8Array>.", {
      taskId: source.taskId,
    });
  }
  return downloadToStream(source, destination, options);
}
