import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Task } from "@videoretalk/core";
import { type DownloadOptions, downloadResult } from "@videoretalk/polling";

/** A file on disk, as the journal records it. */
export interface SavedFile {
  path: string;
  bytes: number;
  sha256: string;
}

/** SHA-256 (hex) and size of a file, streamed (flat memory). */
export async function hashFile(path: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).byteLength;
  }
  return { bytes, sha256: hash.digest("hex") };
}

/** Whether a recorded output is still on disk, whole and unchanged (size, then SHA-256). */
export async function outputIsValid(output: SavedFile): Promise<boolean> {
  const info = await stat(output.path).catch(() => undefined);
  if (!info?.isFile() || info.size !== output.bytes) return false;
  const { sha256 } = await hashFile(output.path);
  return sha256 === output.sha256;
}

/** Options of {@link saveResult}. */
export interface SaveResultOptions {
  signal?: AbortSignal | undefined;
  fetch?: typeof fetch | undefined;
  allowPrivateNetwork?: boolean | undefined;
}

/**
 * Downloads a completed task's result to `path` with `downloadResult` (resumes dropped
 * connections, writes a temporary file next to `path` and renames it into place) and checksums it.
 */
export async function saveResult(task: Task, path: string, options: SaveResultOptions): Promise<SavedFile> {
  await mkdir(dirname(path), { recursive: true });
  // `allowPrivateNetwork` is the SSRF switch of polling's downloads: only for a loopback API.
  const download: DownloadOptions = {};
  if (options.signal) download.signal = options.signal;
  if (options.fetch) download.fetch = options.fetch;
  if (options.allowPrivateNetwork !== undefined) download.allowPrivateNetwork = options.allowPrivateNetwork;
  await downloadResult(task, path, download);
  return { path, ...(await hashFile(path)) };
}

/**
 * Deletes the temporary files (`.<name>.<random>.part`, see `downloadResult`) that a killed run
 * left next to these outputs. Only call it while holding the journal: a live download of another
 * process would lose its temp file.
 */
export async function removeStaleParts(outputs: Iterable<string>): Promise<number> {
  const byFolder = new Map<string, Set<string>>();
  for (const path of outputs) {
    const names = byFolder.get(dirname(path)) ?? new Set<string>();
    names.add(basename(path));
    byFolder.set(dirname(path), names);
  }
  let removed = 0;
  for (const [folder, names] of byFolder) {
    const entries = await readdir(folder).catch(() => [] as string[]);
    for (const entry of entries) {
      const match = /^\.(.+)\.[^.]+\.part$/.exec(entry);
      if (!match || !names.has(match[1] as string)) continue;
      await rm(join(folder, entry), { force: true });
      removed++;
    }
  }
  return removed;
}
