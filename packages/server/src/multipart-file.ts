/**
 * Reads the one file of a `multipart/form-data` upload as a stream, without buffering it: the
 * part headers are parsed, then the file's bytes are passed on as they arrive, holding back only
 * enough bytes to recognise the closing boundary.
 */

import { BodyTimeoutError } from "./body-deadline.js";

/** Largest preamble plus part headers accepted before the file's bytes start. */
const MAX_HEAD_BYTES = 16 * 1024;
/** Bytes after the closing boundary read before the body counts as fully received. */
const MAX_EPILOGUE_BYTES = 1024;

const encoder = new TextEncoder();

/** Why a multipart body could not be read. */
export type MultipartFailure = "malformed" | "too-large" | "read-failed" | "timed-out";

/** The file part of an upload: its name, declared type and a pull stream of its bytes. */
export interface MultipartFile {
  /** The part's `name` (the form field). */
  field: string;
  fileName: string;
  /** The part's `Content-Type`, as sent. */
  contentType: string;
  /** Reads the next bytes of the file; `undefined` at its end. Throws {@link MultipartError}. */
  next(): Promise<Uint8Array | undefined>;
  /** Stops reading the request body (the producer is cancelled, not drained). */
  cancel(): void;
}

/** A failure while reading the multipart body, with the reason the route maps to a status. */
export class MultipartError extends Error {
  constructor(readonly reason: MultipartFailure) {
    super(`multipart body: ${reason}`);
    this.name = "MultipartError";
  }
}

/** The `boundary` parameter of a `multipart/form-data` content type, or `undefined`. */
export function multipartBoundary(contentType: string | null): string | undefined {
  if (contentType === null) return undefined;
  const [essence, ...params] = contentType.split(";");
  if (essence?.trim().toLowerCase() !== "multipart/form-data") return undefined;
  for (const param of params) {
    const match = /^\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s";]{1,70}))\s*$/i.exec(param);
    const boundary = match?.[1] ?? match?.[2];
    if (boundary !== undefined) return boundary;
  }
  return undefined;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0];
  outer: for (let i = from; i + needle.length <= haystack.length; i++) {
    if (haystack[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.byteLength === 0) return b;
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

/** `name` and `filename` of a `Content-Disposition: form-data` header. */
function dispositionParams(value: string): { name?: string; filename?: string } {
  const out: { name?: string; filename?: string } = {};
  if (!/^\s*form-data\s*(;|$)/i.test(value)) return out;
  for (const match of value.matchAll(/;\s*(name|filename)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/gi)) {
    const key = match[1]?.toLowerCase() as "name" | "filename";
    out[key] = (match[2] ?? match[3] ?? "").replace(/\\(.)/g, "$1");
  }
  return out;
}

/**
 * Opens the single file part of a multipart body. The body must be exactly one part with a
 * `filename` (what `FormData` with one `File` sends); anything else is `malformed`.
 *
 * @throws {MultipartError}
 */
export async function openMultipartFile(body: ReadableStream<Uint8Array>, boundary: string): Promise<MultipartFile> {
  const reader = body.getReader();
  const cancel = () => {
    reader.cancel().catch(() => {});
  };
  let buffer: Uint8Array = new Uint8Array(0);
  let ended = false;
  const readMore = async (): Promise<boolean> => {
    if (ended) return false;
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (error) {
      throw new MultipartError(error instanceof BodyTimeoutError ? "timed-out" : "read-failed");
    }
    if (chunk.done) {
      ended = true;
      return false;
    }
    buffer = concat(buffer, chunk.value);
    return true;
  };

  // 1. The first delimiter and the part's headers.
  const opening = encoder.encode(`--${boundary}\r\n`);
  const headEnd = encoder.encode("\r\n\r\n");
  let start = -1;
  let end = -1;
  while (end < 0) {
    if (start < 0) start = indexOf(buffer, opening);
    if (start >= 0) end = indexOf(buffer, headEnd, start + opening.length - 2);
    if (end >= 0) break;
    if (buffer.byteLength > MAX_HEAD_BYTES || !(await readMore())) {
      cancel();
      throw new MultipartError("malformed");
    }
  }
  const headerText = new TextDecoder().decode(buffer.subarray(start + opening.length, end));
  buffer = buffer.subarray(end + headEnd.length);
  const headers = new Map<string, string>();
  for (const line of headerText.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const { name, filename } = dispositionParams(headers.get("content-disposition") ?? "");
  if (name === undefined || filename === undefined) {
    cancel();
    throw new MultipartError("malformed");
  }

  // 2. The file's bytes, up to the closing delimiter; a second part is not accepted.
  const closing = encoder.encode(`\r\n--${boundary}`);
  let done = false;
  const next = async (): Promise<Uint8Array | undefined> => {
    while (!done) {
      const at = indexOf(buffer, closing);
      if (at >= 0) {
        // Two bytes after the delimiter say whether the body ends ("--") or another part follows.
        while (buffer.byteLength < at + closing.length + 2 && (await readMore())) {}
        const after = buffer.subarray(at + closing.length, at + closing.length + 2);
        if (after[0] !== 0x2d || after[1] !== 0x2d) {
          cancel();
          throw new MultipartError("malformed");
        }
        done = true;
        const last = buffer.subarray(0, at);
        // Read the short rest (the final CRLF browsers send) so the connection can be reused;
        // a long epilogue is not waited for.
        let epilogue = buffer.byteLength - at;
        buffer = new Uint8Array(0);
        while (epilogue <= MAX_EPILOGUE_BYTES && (await readMore())) {
          epilogue += buffer.byteLength;
          buffer = new Uint8Array(0);
        }
        if (!ended) cancel();
        return last.byteLength > 0 ? last : undefined;
      }
      // Everything but a possible start of the delimiter can go out now.
      const safe = buffer.byteLength - (closing.length - 1);
      if (safe > 0) {
        const out = buffer.subarray(0, safe);
        buffer = buffer.subarray(safe);
        return out;
      }
      if (!(await readMore())) {
        cancel();
        throw new MultipartError("malformed");
      }
    }
    return undefined;
  };
  return { field: name, fileName: filename, contentType: headers.get("content-type") ?? "", next, cancel };
}
