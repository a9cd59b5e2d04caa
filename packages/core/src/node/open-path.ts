import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { ValidationError } from "../errors.js";
import { contentTypeFor, type UploadSource } from "../files/upload-source.js";

/**
 * Opens a local file for upload. The size comes from `stat`, so the 100 MB limit is checked
 * before a byte is sent, and each attempt re-opens the file, so an upload can be retried.
 *
 * @throws {ValidationError} `field: "file"` when the path is missing or not a regular file.
 */
export async function openPath(path: string): Promise<UploadSource> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new ValidationError(
      "file",
      code === "ENOENT" ? `No such file: ${path}` : `Cannot read ${path} (${code ?? "unknown error"}).`,
    );
  }
  if (!info.isFile()) throw new ValidationError("file", `${path} is not a regular file.`);
  const fileName = basename(path);
  return {
    open: () => createReadStream(path, { highWaterMark: 256 * 1024 }),
    size: info.size,
    fileName,
    contentType: contentTypeFor(fileName),
    replayable: true,
  };
}
