import { type ByteReader, blobReader, urlReader } from "./byte-reader.js";
import { PreflightInputError } from "./errors.js";
import { type ParserOptions, parseMedia } from "./mediainfo-parser.js";
import type { MediaFacts, MediaSource } from "./types.js";

/** Options of {@link inspectMedia}. */
export interface InspectOptions extends ParserOptions {
  /** The `fetch` used for URLs (default: the global one). */
  fetch?: typeof fetch;
  /** Aborts URL reads. */
  signal?: AbortSignal;
}

/** Opens a file path; only the Node build has one. */
export type PathOpener = (path: string) => Promise<ByteReader>;

function isBlob(value: unknown): value is Blob {
  return typeof Blob !== "undefined" && value instanceof Blob;
}

function httpUrl(source: string | URL): URL | undefined {
  if (source instanceof URL) return source;
  if (!/^https?:\/\//i.test(source)) return undefined;
  try {
    return new URL(source);
  } catch {
    return undefined;
  }
}

/** Picks the reader for a source; `field` names the argument in errors. */
export async function openSource(
  source: MediaSource,
  options: InspectOptions,
  openPath: PathOpener | undefined,
  field = "source",
): Promise<ByteReader> {
  if (isBlob(source)) return blobReader(source);
  if (typeof source !== "string" && !(source instanceof URL)) {
    throw new PreflightInputError(field, `${field} must be a Blob, a File, an http(s) URL or a file path.`);
  }
  const url = httpUrl(source);
  if (url) {
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new PreflightInputError(field, `${field} must be an http(s) URL, not ${url.protocol}`);
    }
    return urlReader(url, options);
  }
  if (source instanceof URL) {
    throw new PreflightInputError(field, `${field} must be an http(s) URL, not ${source.protocol}`);
  }
  if (source.trim() === "") throw new PreflightInputError(field, `${field} must not be empty.`);
  if (!openPath) {
    throw new PreflightInputError(
      field,
      `${field} looks like a file path, which only works in Node; in a browser pass a File or an http(s) URL.`,
    );
  }
  return openPath(source);
}

/** Inspects one source with an optional path opener (the Node build passes one). */
export async function inspectWith(
  source: MediaSource,
  options: InspectOptions,
  openPath: PathOpener | undefined,
  field = "source",
): Promise<MediaFacts> {
  const reader = await openSource(source, options, openPath, field);
  try {
    return await parseMedia(reader, options);
  } finally {
    await reader.close?.();
  }
}
