import { randomBytes } from "node:crypto";
import { type FileHandle, open, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { ValidationError } from "@videoretalk/core";
import { DownloadError } from "../errors.js";
import type { DownloadSource } from "./source.js";
import type { DownloadSink } from "./transfer-state.js";

/**
 * The file destination: bytes go to `<dir>/.<name>.<random>.part`, which is fsynced, closed and
 * renamed to the final path only once complete (the rename step). The rename is atomic within
 * a folder, so the final path only ever holds a complete, verified file.
 */
export interface TempFile {
  /** The absolute final path. */
  readonly finalPath: string;
  readonly sink: DownloadSink;
  /** Flushes, closes and renames the temp file to `finalPath`; `beforeRename` may still throw. */
  commit(beforeRename: () => void): Promise<void>;
  /** Closes and deletes the temp file; never throws. */
  discard(): Promise<void>;
}

function fsFailure(action: string, path: string, error: unknown, source: DownloadSource, bytes: number): DownloadError {
  const code = (error as { code?: unknown }).code;
  return new DownloadError(`Could not ${action} ${path}${typeof code === "string" ? ` (${code})` : ""}.`, {
    bytesReceived: bytes,
    taskId: source.taskId,
    cause: error,
  });
}

/**
 * Creates the temp file next to `path` (nothing is sent before this succeeds).
 *
 * @throws {ValidationError} `field: "destination"`: a folder, or a folder that is missing or
 *   read-only.
 */
export async function createTempFile(path: string, source: DownloadSource): Promise<TempFile> {
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
  let file: FileHandle;
  try {
    // `wx`: never reuse or clobber an existing file, even one with our random name.
    file = await open(tempPath, "wx");
  } catch (error) {
    // Nothing was sent yet: a missing or read-only folder is a problem with the destination.
    const code = (error as { code?: unknown }).code;
    throw new ValidationError(
      "destination",
      `Cannot create a file in ${folder}${typeof code === "string" ? ` (${code})` : ""}; the folder must exist and be writable.`,
      { taskId: source.taskId, cause: error },
    );
  }

  let closed = false;
  const { sink, position } = fileSink(file, tempPath, source);
  return {
    finalPath,
    sink,
    async commit(beforeRename) {
      try {
        // Flush to disk before the rename, so a crash cannot leave a short file under the final name.
        await file.sync();
        closed = true;
        await file.close();
      } catch (error) {
        throw fsFailure("flush", tempPath, error, source, position());
      }
      beforeRename();
      try {
        await rename(tempPath, finalPath);
      } catch (error) {
        throw fsFailure("rename the download to", finalPath, error, source, position());
      }
    },
    async discard() {
      if (!closed) await file.close().catch(() => {});
      closed = true;
      try {
        await unlink(tempPath);
      } catch {
        // Already gone, or never created.
      }
    },
  };
}

/** Writes chunks at increasing offsets; `restart` truncates the file to start over. */
function fileSink(file: FileHandle, tempPath: string, source: DownloadSource) {
  let position = 0;
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
  return { sink, position: () => position };
}
