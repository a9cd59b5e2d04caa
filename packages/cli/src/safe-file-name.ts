import { resolve } from "node:path";
import { isInside, safeFileStem } from "@videoretalk/batch";

// One rule for names derived from ids, shared with `videoretalk batch` (which names its results
// with @videoretalk/batch): re-exported so the CLI's modules keep one place to import it from.
export { FALLBACK_FILE_STEM, isInside, safeFileStem } from "@videoretalk/batch";

/**
 * The path of `<safe id><extension>` inside `folder`, for a file named after an API-provided id.
 * The name is sanitised with {@link safeFileStem} and the result is checked to stay in `folder`.
 *
 * @example
 * fileForId("/work/out", "task-unified-1700000000-abcd1234"); // "/work/out/task-unified-1700000000-abcd1234.mp4"
 * fileForId("/work/out", "/etc/passwd"); // "/work/out/_etc_passwd.mp4"
 * @throws {Error} if the joined path would leave `folder` or be the folder itself (cannot happen
 *   with a sanitised stem; kept as a second line of defence).
 */
export function fileForId(folder: string, id: string, extension = ".mp4"): string {
  const path = resolve(folder, `${safeFileStem(id)}${extension}`);
  if (!isInside(folder, path)) {
    throw new Error(`Refusing to write outside ${folder}: the name derived from "${id}" escapes it.`);
  }
  return path;
}
