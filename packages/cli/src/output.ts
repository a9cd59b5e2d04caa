import { stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { UsageError } from "./report-error.js";
import { fileForId } from "./safe-file-name.js";

/**
 * Where the result goes: `--out` exactly as given (relative to `cwd`), else `./<task id>.mp4`
 * with the id sanitised (the API chose it, so `../x` or `/etc/x` must not pick the folder).
 */
export function outputPath(out: string | undefined, taskId: string, cwd: string): string {
  return out === undefined ? fileForId(cwd, taskId) : resolve(cwd, out);
}

/**
 * Checks `--out` before anything is sent, so a typo in a folder name cannot strand a finished
 * (and billed) task: it must name a file, not a folder, in a folder that exists.
 *
 * @throws {UsageError} naming `--out`.
 */
export async function checkOutputPath(out: string | undefined, cwd: string): Promise<void> {
  if (out === undefined) return;
  if (out.trim() === "") throw new UsageError("--out must be a file path, got an empty string.");
  const path = resolve(cwd, out);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory() || /[\\/]$/.test(out)) {
    throw new UsageError(
      `--out must be a file path, but ${out} is a folder (try ${out.replace(/[\\/]*$/, "/result.mp4")}).`,
    );
  }
  const folder = await stat(dirname(path)).catch(() => undefined);
  if (!folder?.isDirectory()) {
    throw new UsageError(`--out: the folder ${dirname(path)} does not exist; create it first.`);
  }
}
