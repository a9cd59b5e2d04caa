import { isAbsolute, relative, resolve } from "node:path";

/** The stem used when an id has no safe character left (e.g. `..`). */
const FALLBACK_STEM = "videoretalk-result";
const MAX_STEM_LENGTH = 200;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i;

/**
 * A file-name stem from a job id, by the same rule as the CLI's: only `[A-Za-z0-9._-]` (others
 * become `_`), no leading dot, at most 200 characters, never a Windows device name.
 *
 * @example
 * safeFileStem("intro/de"); // "intro_de"
 */
export function safeFileStem(text: string): string {
  let stem = text
    .replace(/[^A-Za-z0-9._-]/g, "_")
    .replace(/^\.+/, "")
    .slice(0, MAX_STEM_LENGTH);
  if (/^[_.]*$/.test(stem)) stem = FALLBACK_STEM;
  return WINDOWS_RESERVED.test(stem) ? `_${stem}` : stem;
}

/** Whether `path` lies inside `folder` (both resolved). */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(resolve(folder), resolve(path));
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

/**
 * Where a job's result goes: the manifest's `out` when given (relative to `outDir`, or absolute,
 * used as given), else `<outDir>/<safe id>.mp4`.
 *
 * @example
 * outputPathFor({ id: "intro/de" }, "/srv/out"); // "/srv/out/intro_de.mp4"
 */
export function outputPathFor(job: { id: string; out?: string | undefined }, outDir: string): string {
  if (job.out !== undefined) return resolve(outDir, job.out);
  return resolve(outDir, `${safeFileStem(job.id)}.mp4`);
}
