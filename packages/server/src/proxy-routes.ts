import { ValidationError } from "@videoretalk/core";

/**
 * The proxy's whole routing table: two operations, matched on the exact path below the mount
 * point. Anything else — other paths, extra or empty segments, dot segments, encoded slashes —
 * is not a route, so nothing can be steered to another upstream endpoint.
 */

/** A request the proxy may forward, or why it may not. */
export type RouteMatch =
  | { kind: "create" }
  | { kind: "get"; taskId: string }
  | { kind: "upload" }
  | { kind: "method-not-allowed"; allow: "GET" | "POST" }
  | { kind: "not-found" };

const CREATE_PATH = "/v1/videos/generations";
/** The optional third route (the `uploads` option): a browser's file, forwarded to the Files API. */
export const UPLOAD_PATH = "/v1/files/upload";
const TASKS_PREFIX = "/v1/tasks/";
// Task ids look like `task-unified-1756817821-4x3rx6ny`. Anything outside this set cannot be a
// task id, and refusing it keeps dot segments, slashes and control characters out of the
// upstream URL however they were encoded.
const TASK_ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._:-]{0,199}$/;

/**
 * Normalises a `basePath` option: `""` for the root, else a leading slash and no trailing one.
 *
 * @throws {ValidationError} for a path with dot segments, empty segments, `%`, `?` or `#`.
 */
export function normalizeBasePath(basePath: string | undefined): string {
  if (basePath === undefined) return "";
  if (typeof basePath !== "string")
    throw new ValidationError("basePath", "basePath must be a string such as /api/videoretalk.");
  let path = basePath.trim();
  if (!path.startsWith("/")) path = `/${path}`;
  path = path.replace(/\/+$/, "");
  if (path === "") return "";
  const segments = path.slice(1).split("/");
  if (/[%?#\\\s]/.test(path) || segments.some((s) => s === "" || s === "." || s === "..")) {
    throw new ValidationError(
      "basePath",
      `basePath must be a plain path such as /api/videoretalk, got ${JSON.stringify(basePath)}.`,
    );
  }
  return path;
}

/**
 * Matches a request against the two forwarded operations.
 *
 * @param pathname The request URL's `pathname`, still percent-encoded.
 * @param basePath A path from {@link normalizeBasePath}.
 * @param uploads Whether the upload route is on; when off its path is not a route at all.
 */
export function matchRoute(method: string, pathname: string, basePath: string, uploads = false): RouteMatch {
  if (basePath !== "" && !pathname.startsWith(`${basePath}/`)) return { kind: "not-found" };
  const rest = pathname.slice(basePath.length);
  if (uploads && rest === UPLOAD_PATH) {
    return method === "POST" ? { kind: "upload" } : { kind: "method-not-allowed", allow: "POST" };
  }
  if (rest === CREATE_PATH) {
    return method === "POST" ? { kind: "create" } : { kind: "method-not-allowed", allow: "POST" };
  }
  if (!rest.startsWith(TASKS_PREFIX)) return { kind: "not-found" };
  const segment = rest.slice(TASKS_PREFIX.length);
  // Checked before decoding, so `%2F` (and every other escape) is refused rather than decoded
  // into a path separator; a real task id never needs one.
  if (!TASK_ID_PATTERN.test(segment) || segment === "." || segment === "..") return { kind: "not-found" };
  return method === "GET" ? { kind: "get", taskId: segment } : { kind: "method-not-allowed", allow: "GET" };
}
