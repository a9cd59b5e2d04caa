import { type Clock, systemClock, ValidationError } from "@videoretalk/core";

/** Progress of a download, reported after each chunk is handed to the destination. */
export interface DownloadProgress {
  /** Bytes of the result received so far. */
  receivedBytes: number;
  /** Size of the result in bytes, when the server announced it (`Content-Length` / `Content-Range`). */
  totalBytes: number | undefined;
}

/** One address a host name resolves to, as `node:dns` `lookup({ all: true })` gives it. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has. */
export type HostLookup = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** Options of `downloadResult()`. */
export interface DownloadOptions {
  /** Which entry of `task.results` to download. Default `0`. Ignored when a URL is passed. */
  index?: number;
  /**
   * Called after each chunk is handed to the destination. `receivedBytes` only grows, except that
   * it drops back to `0` if a file download has to start over (the server ignored a resume).
   */
  onProgress?: (progress: DownloadProgress) => void;
  /** Stops the download at once; the call rejects with core's `RequestAbortedError`. */
  signal?: AbortSignal;
  /**
   * How many extra requests one download may make after a dropped connection: each resumes with
   * `Range: bytes=<received>-` (or starts a file over when the server ignores the `Range`). The
   * first comes at once, later ones after 250 ms doubling to 4 s. Default `3`; `0` disables
   * resuming.
   */
  maxRetries?: number;
  /**
   * The `fetch` to use; it is asked for one hop at a time (`redirect: "manual"`). Default: the
   * global `fetch` (Node.js: undici's, with every connection checked against `lookup`).
   */
  fetch?: typeof fetch;
  /**
   * How long the connection may deliver nothing (no headers, no bytes) before it counts as
   * dropped and is resumed like one, in ms. Time spent waiting on a slow destination does not
   * count. Default 60 000; `0` waits forever.
   */
  idleTimeoutMs?: number;
  /**
   * Allow targets that are not public https: plain `http:` URLs, and hosts that are (or, in
   * Node.js, resolve to) loopback, private, link-local or other non-public addresses, including
   * `localhost`. Default `false`: a result URL comes from the API, or from a webhook anyone can
   * forge, so by default it may not point into your network. Set it for a local emulator.
   */
  allowPrivateNetwork?: boolean;
  /**
   * Largest result accepted, in bytes. A larger `Content-Length` is refused before the body is
   * read; a body that grows past it is stopped. Either way `DownloadTooLargeError`. Default
   * 2 GiB.
   */
  maxBytes?: number;
  /** How many redirects one request may follow; each target is checked. Default `5`. */
  maxRedirects?: number;
  /**
   * Node.js only: resolves host names for the address check, so a public name that points at a
   * private address is refused (unless `allowPrivateNetwork`). Default: `node:dns` `lookup`
   * with `all: true`. Without a custom `fetch`, connections go to exactly the checked addresses;
   * with one, the name is resolved and checked before each request. Ignored elsewhere: browsers
   * and edge runtimes cannot resolve names, so there only the URL's own host is checked.
   *
   * Downloads that pass the same function (and the same `allowPrivateNetwork`) share kept-alive
   * connections; a new function each call means new connections each call.
   */
  lookup?: HostLookup;
  /** Time source for the idle timeout and the waits between resumes. Default: the system clock. */
  clock?: Clock;
}

/**
 * What `downloadResult()` resolves to once every byte has reached the destination.
 *
 * @typeParam D - the destination as passed in (a file path comes back absolute).
 */
export interface DownloadResult<D extends string | WritableStream<Uint8Array> = string | WritableStream<Uint8Array>> {
  /** Bytes written to the destination; equals `Content-Length` whenever the server sent one. */
  bytes: number;
  /** The result URL that was downloaded (as requested, before any redirect). */
  url: string;
  /** Where the bytes went: the absolute file path, or the `WritableStream` you passed (now closed). */
  destination: D;
  /** The response's `Content-Type`, when it had one (e.g. `video/mp4`). */
  contentType: string | undefined;
  /** How many times a dropped connection was resumed (or restarted). */
  resumes: number;
}

/** Default of `DownloadOptions.idleTimeoutMs`. */
export const DEFAULT_DOWNLOAD_IDLE_TIMEOUT_MS = 60_000;
/** Default of `DownloadOptions.maxRetries`. */
export const DEFAULT_DOWNLOAD_MAX_RETRIES = 3;
/** Default of `DownloadOptions.maxBytes`: 2 GiB. */
export const DEFAULT_DOWNLOAD_MAX_BYTES = 2 * 1024 ** 3;
/** Default of `DownloadOptions.maxRedirects`. */
export const DEFAULT_DOWNLOAD_MAX_REDIRECTS = 5;

/** The options with defaults applied and checked. */
export interface DownloadSettings {
  signal: AbortSignal | undefined;
  onProgress: ((progress: DownloadProgress) => void) | undefined;
  maxRetries: number;
  idleTimeoutMs: number;
  allowPrivateNetwork: boolean;
  maxBytes: number;
  maxRedirects: number;
  clock: Clock;
}

function nonNegativeInteger(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new ValidationError(field, `${field} must be a non-negative integer, got ${String(value)}.`);
  }
  return value;
}

/**
 * Applies defaults and refuses impossible values before anything is sent.
 *
 * @throws {ValidationError} naming the option.
 */
export function resolveSettings(options: DownloadOptions): DownloadSettings {
  const maxRetries = nonNegativeInteger("maxRetries", options.maxRetries, DEFAULT_DOWNLOAD_MAX_RETRIES);
  const maxRedirects = nonNegativeInteger("maxRedirects", options.maxRedirects, DEFAULT_DOWNLOAD_MAX_REDIRECTS);
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_DOWNLOAD_IDLE_TIMEOUT_MS;
  if (typeof idleTimeoutMs !== "number" || Number.isNaN(idleTimeoutMs) || idleTimeoutMs < 0) {
    throw new ValidationError("idleTimeoutMs", "idleTimeoutMs must be a number of milliseconds ≥ 0.");
  }
  const maxBytes = options.maxBytes ?? DEFAULT_DOWNLOAD_MAX_BYTES;
  if (typeof maxBytes !== "number" || Number.isNaN(maxBytes) || maxBytes <= 0) {
    throw new ValidationError("maxBytes", `maxBytes must be a positive number of bytes, got ${String(maxBytes)}.`);
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== "function") {
    throw new ValidationError("onProgress", "onProgress must be a function.");
  }
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    throw new ValidationError("fetch", "fetch must be a function.");
  }
  if (options.lookup !== undefined && typeof options.lookup !== "function") {
    throw new ValidationError("lookup", "lookup must be a function.");
  }
  if (options.allowPrivateNetwork !== undefined && typeof options.allowPrivateNetwork !== "boolean") {
    throw new ValidationError("allowPrivateNetwork", "allowPrivateNetwork must be true or false.");
  }
  return {
    signal: options.signal,
    onProgress: options.onProgress,
    maxRetries,
    idleTimeoutMs,
    allowPrivateNetwork: options.allowPrivateNetwork === true,
    maxBytes,
    maxRedirects,
    clock: options.clock ?? systemClock,
  };
}
