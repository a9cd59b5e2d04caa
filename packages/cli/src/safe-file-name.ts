import { isAbsolute, relative, resolve } from "node:path";

/** The stem used when a task id has no safe character left (e.g. `..` or `/`). */
export const FALLBACK_FILE_STEM = "videoretalk-result";

/** Longest stem kept, so `<stem>.mp4` stays well under the usual 255-byte name limit. */
const MAX_STEM_LENGTH = 200;

/** Names Windows reserves in every folder (`CON`, `NUL.mp4`, `COM1` …). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i;

/**
 * A file-name stem derived from text the API chose (a task id): only `[A-Za-z0-9._-]`, every
 * other character becomes `_`, no leading dot (no hidden files, no `.`/`..`), at most 200
 * characters. Text with nothing safe left gives `fallback`.
 *
 * @example
 * safeFileStem("task-unified-1700000000-abcd1234"); // "task-unified-1700000000-abcd1234"
 * safeFileStem("../../etc/passwd"); // "_.._etc_passwd"
 * safeFileStem(".."); // "videoretalk-result"
 */
export function safeFileStem(text: string, fallback = FALLBACK_FILE_STEM): string {
  let stem = text.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "");
  stem = stem.slice(0, MAX_STEM_LENGTH);
  if (/^[_.]*$/.test(stem)) return fallback;
  return WINDOWS_RESERVED.test(stem) ? `_${stem}` : stem;
}

/** Whether `path` is `folder` itself or lies below it (both resolved). */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(resolve(folder), resolve(path));
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/**
 * The path of `<safe id><extension>` inside `folder`, for a file named after an API-provided id.
 * The name is sanitised with {@link safeFileStem} and the result is checked to stay in `folder`.
 *
 * @example
 * fileForId("/work/out", "task-unified-1700000000-abcd1234"); // "/work/out/task-unified-1700000000-abcd1234.mp4"
 * fileForId("/work/out", "/etc/passwd"); // "/work/out/_etc_passwd.mp4"
 * @throws {Error} if the joined path would leave `folder` (cannot happen with a sanitised stem;
 *   kept as a second line of defence).
 */
export function fileForId(folder: string, id: string, extension = ".mp4"): string {
  const path = resolve(folder, `${safeFileStem(id)}${extension}`);
  if (!isInside(folder, path) || path === resolve(folder)) {
    throw new Error(`Refusing to write outside ${folder}: the name derived from "${id}" escapes it.`);
  }
  return path;
}
