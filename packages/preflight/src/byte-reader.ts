import { MediaReadError } from "./errors.js";

/**
 * Random access to a source's bytes: the parser asks for ranges (the header, and for an MP4
 * whose `moov` box is at the end, the tail), so only those are read, never the whole file.
 */
export interface ByteReader {
  /** Total size in bytes. */
  readonly size: number;
  /** Reads up to `length` bytes at `offset` (fewer at the end of the source). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Releases what the reader holds (a file handle). */
  close?(): Promise<void>;
}

/** A reader over a `Blob` or `File`: each read is a `slice`, so the file is never loaded whole. */
export function blobReader(blob: Blob): ByteReader {
  return {
    size: blob.size,
    async read(offset, length) {
      return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
    },
  };
}

/** Options of {@link urlReader}. */
export interface UrlReaderOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/** The total size from a 206's `Content-Range: bytes a-b/total`. */
function totalFromContentRange(header: string | null): number | undefined {
  const total = header?.match(/\/(\d+)\s*$/)?.[1];
  return total === undefined ? undefined : Number(total);
}

/**
 * A reader over an http(s) URL that sends one `Range` request per read. It refuses a server that
 * ignores `Range` (a 200 would send the whole file) instead of downloading everything.
 */
export async function urlReader(url: URL, options: UrlReaderOptions = {}): Promise<ByteReader> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const get = async (start: number, end: number): Promise<Response> => {
    let response: Response;
    try {
      response = await doFetch(url, { headers: { Range: `bytes=${start}-${end}` }, signal: options.signal ?? null });
    } catch (error) {
      throw new MediaReadError(`Could not fetch ${url.origin}${url.pathname}: ${String(error)}`, undefined, {
        cause: error,
      });
    }
    if (response.status === 206) return response;
    await response.body?.cancel();
    if (response.status === 200) {
      throw new MediaReadError(
        `${url.origin}${url.pathname} ignores Range requests, so it cannot be inspected without downloading it whole.`,
        200,
      );
    }
    if (response.status === 416) return response;
    throw new MediaReadError(`${url.origin}${url.pathname} answered HTTP ${response.status}.`, response.status);
  };

  const first = await get(0, 0);
  const size = totalFromContentRange(first.headers.get("content-range"));
  await first.body?.cancel();
  if (size === undefined) {
    throw new MediaReadError(`${url.origin}${url.pathname} sent no Content-Range total, so its size is unknown.`);
  }
  return {
    size,
    async read(offset, length) {
      if (offset >= size || length <= 0) return new Uint8Array(0);
      const response = await get(offset, Math.min(size, offset + length) - 1);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}
