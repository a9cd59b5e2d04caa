import { isAbsolute, relative, resolve } from "node:path";

/** The stem used when an id has no safe character left (e.g. `..` or `/`). */
export const FALLBACK_FILE_STEM = "videoretalk-result";

/** Longest stem kept, so `<stem>.mp4` stays well under the usual 255-byte name limit. */
const MAX_STEM_LENGTH = 200;

/** Names Windows reserves in every folder (`CON`, `NUL.mp4`, `COM1` …). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i;

/**
 * A file-name stem from text the API or a manifest chose (a task or job id): only
 * `[A-Za-z0-9._-]` (every other character becomes `_`), no leading dot (no hidden files, no
 * `.`/`..`), at most 200 characters, never a Windows device name. Text with nothing safe left
 * gives `fallback`. The CLI names its downloads by the same rule.
 *
 * @example
 * safeFileStem("intro/de"); // "intro_de"
 * safeFileStem("../../etc/passwd"); // "_.._etc_passwd"
 * safeFileStem(".."); // "videoretalk-result"
 */
export function safeFileStem(text: string, fallback = FALLBACK_FILE_STEM): string {
  const stem = text
    .replace(/[^A-Za-z0-9._-]/g, "_")
    .replace(/^\.+/, "")
    .slice(0, MAX_STEM_LENGTH);
  if (/^[_.]*$/.test(stem)) return fallback;
  return WINDOWS_RESERVED.test(stem) ? `_${stem}` : stem;
}

/**
 * Whether `path` lies below `folder` (both resolved); the folder itself is not inside it, so a
 * file path that passes cannot be the folder.
 *
 * @example
 * isInside("/srv/out", "/srv/out/a.mp4"); // true
 * isInside("/srv/out", "/srv/out/../a.mp4"); // false
 */
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
