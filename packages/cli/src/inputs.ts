import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { MAX_UPLOAD_BYTES } from "@videoretalk/core";
import { formatBytes } from "./format.js";
import { UsageError } from "./report-error.js";

/** A media flag's value: a URL passed through, or a local file to upload first. */
export type MediaInput = { kind: "url"; url: string } | { kind: "file"; path: string; size: number };

const URL_PATTERN = /^https?:\/\//i;

/**
 * Reads `--video` / `--audio` / `--ref-image`: http(s) URLs pass through; anything else must be a
 * readable file no larger than the Files API's 100 MB. Checked before anything is sent.
 */
export async function resolveMediaInput(flag: string, value: string, cwd: string): Promise<MediaInput> {
  if (URL_PATTERN.test(value)) return { kind: "url", url: value };
  const path = resolve(cwd, value);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`${flag}: ${value} is not a file.`);
    size = info.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${flag}: no such file: ${value} (give an http(s) URL or a local file).`);
  }
  if (size > MAX_UPLOAD_BYTES) {
    throw new UsageError(`${flag}: ${value} is ${formatBytes(size)}; uploads are limited to 100 MB.`);
  }
  return { kind: "file", path, size };
}

/** A URL that stands in for a file not yet uploaded, so the other fields can be validated first. */
export function placeholderUrl(input: MediaInput): string {
  return input.kind === "url" ? input.url : "https://upload.pending.invalid/file";
}
