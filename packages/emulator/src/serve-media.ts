import type { IncomingMessage, ServerResponse } from "node:http";
import type { HostedMedia } from "./media.js";

/**
 * Serves hosted bytes the way a CDN does: `Content-Length`, `Accept-Ranges`, `ETag`, HEAD, and
 * single byte ranges (206 with `Content-Range`, 416 when unsatisfiable), honouring `If-Range`,
 * so resumable downloads can be tested.
 */

/** Options for {@link serveMedia}. */
export interface ServeMediaOptions {
  /** Close the connection after sending this many body bytes (a dropped download). */
  dropAfterBytes?: number;
}

type ByteRange = { start: number; end: number } | "unsatisfiable" | undefined;

/** Parses a single `bytes=` range against `size`; multiple or malformed ranges are ignored. */
export function parseRange(header: string | undefined, size: number): ByteRange {
  const match = header?.trim().match(/^bytes=(\d*)-(\d*)$/);
  if (!match) return undefined;
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return undefined;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== "" && Number(last) < start) return undefined;
  if (start >= size) return "unsatisfiable";
  return { start, end };
}

/** Writes `media` (or a range of it) to `res`; handles GET and HEAD. */
export function serveMedia(
  req: IncomingMessage,
  res: ServerResponse,
  media: HostedMedia,
  options: ServeMediaOptions = {},
): void {
  const size = media.bytes.length;
  res.setHeader("Accept-Ranges", "bytes");
  res.setHeader("ETag", media.etag);
  res.setHeader("Last-Modified", media.lastModified.toUTCString());
  res.setHeader("Content-Type", media.mimeType);
  res.setHeader("Cache-Control", "private, max-age=86400");

  const ifRange = req.headers["if-range"];
  const rangeAllowed = ifRange === undefined || ifRange === media.etag || ifRange === res.getHeader("Last-Modified");
  const range = rangeAllowed ? parseRange(req.headers.range, size) : undefined;
  if (range === "unsatisfiable") {
    res.statusCode = 416;
    res.setHeader("Content-Range", `bytes */${size}`);
    res.setHeader("Content-Length", 0);
    res.end();
    return;
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  res.statusCode = range ? 206 : 200;
  if (range) res.setHeader("Content-Range", `bytes ${start}-${end}/${size}`);
  res.setHeader("Content-Length", Math.max(0, end - start + 1));
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  const body = media.bytes.subarray(start, end + 1);
  const drop = options.dropAfterBytes;
  if (drop !== undefined && drop < body.length) {
    // Send part of the body, then cut the connection: the client sees a premature close.
    res.flushHeaders();
    res.write(body.subarray(0, drop), () => {
      setImmediate(() => res.destroy());
    });
    return;
  }
  res.end(body);
}
