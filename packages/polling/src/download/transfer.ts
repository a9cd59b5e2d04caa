import {
  APIConnectionError,
  RequestAbortedError,
  sleep,
  systemClock,
  type Task,
  ValidationError,
} from "@videoretalk/core";
import { DownloadError, ResultExpiredError } from "../errors.js";

/** Progress of a download, reported after each chunk is handed to the destination. */
export interface DownloadProgress {
  /** Bytes of the result received so far. */
  receivedBytes: number;
  /** Size of the result in bytes, when the server announced it (`Content-Length` / `Content-Range`). */
  totalBytes: number | undefined;
}

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
  /** The `fetch` to use. Default: the global `fetch`, read at call time. */
  fetch?: typeof fetch;
  /**
   * How long the connection may deliver nothing (no headers, no bytes) before it counts as
   * dropped and is resumed like one, in ms. Time spent waiting on a slow destination does not
   * count. Default 60 000; `0` waits forever.
   */
  idleTimeoutMs?: number;
}

/** Default of `DownloadOptions.idleTimeoutMs`. */
export const DEFAULT_DOWNLOAD_IDLE_TIMEOUT_MS = 60_000;

/**
 * One attempt's AbortSignal: follows the caller's signal, and fires by itself when the
 * connection stays silent for `idleMs`, so a host that stops sending cannot hang the download.
 */
function startWatchdog(signal: AbortSignal | undefined, idleMs: number) {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted) controller.abort(signal.reason);
  else signal?.addEventListener("abort", onAbort, { once: true });
  const pause = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const touch = () => {
    pause();
    if (idleMs > 0 && Number.isFinite(idleMs)) {
      timer = setTimeout(
        () => controller.abort(new Error(`the connection delivered nothing for ${idleMs} ms`)),
        idleMs,
      );
    }
  };
  touch();
  return {
    signal: controller.signal,
    touch,
    pause,
    stop: () => {
      pause();
      signal?.removeEventListener("abort", onAbort);
    },
  };
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

/** Where the bytes go. `write` resolves when the destination can take more (backpressure). */
export interface DownloadSink {
  write(chunk: Uint8Array): Promise<void>;
  /** Drops everything written so far, so the download can start over; `false` when impossible. */
  restart(): Promise<boolean>;
  /** Why `restart()` is impossible, for the error message. */
  readonly cannotRestartReason?: string;
}

/** The URL to fetch and what is known about the task it came from. */
export interface DownloadSource {
  url: string;
  taskId: string | undefined;
  /** `task.created`, in Unix seconds, when a task was passed. */
  taskCreated: number | undefined;
}

export const DEFAULT_DOWNLOAD_MAX_RETRIES = 3;

// Waits between resumes: the first is immediate (a single reset is the common case), then
// 250 ms doubling to 4 s, with jitter so many clients do not come back in lockstep.
const RESUME_BASE_DELAY_MS = 250;
const RESUME_MAX_DELAY_MS = 4_000;

// Statuses the result host uses for a link that is gone; result links live 24 h
// (evolink-api-facts: "Result URLs ... Valid for 24 hours").
const EXPIRED_STATUSES = new Set([403, 404, 410]);

/** Reads and checks the URL and options; nothing is sent. */
export function resolveSource(taskOrUrl: Task | string, options: DownloadOptions): DownloadSource {
  const index = options.index ?? 0;
  if (!Number.isInteger(index) || index < 0) {
    throw new ValidationError("index", `index must be a non-negative integer, got ${String(options.index)}.`);
  }
  const maxRetries = options.maxRetries ?? DEFAULT_DOWNLOAD_MAX_RETRIES;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new ValidationError("maxRetries", `maxRetries must be a non-negative integer, got ${String(maxRetries)}.`);
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== "function") {
    throw new ValidationError("onProgress", "onProgress must be a function.");
  }

  let url: string;
  let taskId: string | undefined;
  let taskCreated: number | undefined;
  if (typeof taskOrUrl === "string") {
    url = taskOrUrl;
  } else if (taskOrUrl !== null && typeof taskOrUrl === "object") {
    taskId = typeof taskOrUrl.id === "string" ? taskOrUrl.id : undefined;
    taskCreated = typeof taskOrUrl.created === "number" ? taskOrUrl.created : undefined;
    if (taskOrUrl.status !== "completed") {
      throw new ValidationError(
        "status",
        `Task ${taskId ?? "(no id)"} is ${String(taskOrUrl.status)}; only a completed task has a result to download. Wait for it with waitForTask() first.`,
        { taskId },
      );
    }
    const results = taskOrUrl.results;
    if (!Array.isArray(results) || results.length === 0) {
      throw new ValidationError("results", `Task ${taskId ?? "(no id)"} is completed but has no result URL.`, {
        taskId,
      });
    }
    const candidate = results[index];
    if (typeof candidate !== "string") {
      throw new ValidationError(
        "index",
        `Task ${taskId ?? "(no id)"} has ${results.length} result(s); index ${index} does not exist.`,
        { taskId },
      );
    }
    url = candidate;
  } else {
    throw new ValidationError("task", "Pass a completed task or its result URL.");
  }

  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError("results", `The result URL is not a valid absolute URL: ${url}`, { taskId });
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new ValidationError("results", `The result URL must be http or https, got ${parsed.protocol}`, { taskId });
  }
  return { url, taskId, taskCreated };
}

/** The error for an abort; `cause` is the signal's reason. */
export function abortError(signal: AbortSignal, source?: DownloadSource): RequestAbortedError {
  return new RequestAbortedError("The download was aborted.", { cause: signal.reason, taskId: source?.taskId });
}

/**
 * Settles like `promise`, or rejects with `abortError` as soon as `signal` aborts, whichever
 * comes first. Used around every await so a `fetch` or destination that ignores the signal
 * cannot hold the caller.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, source: DownloadSource): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(abortError(signal, source));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {});
      reject(abortError(signal, source));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function parseLength(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** `bytes <first>-<last>/<total|*>` or `bytes *\/<total>`, per RFC 9110 §14.4. */
function parseContentRange(
  value: string | null,
): { first: number; last: number; total: number | undefined } | { unsatisfiedTotal: number } | undefined {
  if (value === null) return undefined;
  const match = /^\s*bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)\s*$/i.exec(value);
  if (!match) return undefined;
  const total = match[3] === "*" ? undefined : Number(match[3]);
  if (match[1] === undefined || match[2] === undefined) {
    return total === undefined ? undefined : { unsatisfiedTotal: total };
  }
  return { first: Number(match[1]), last: Number(match[2]), total };
}

/** The announced size of a full (200) response; unknown when the body is content-encoded. */
function fullLength(response: Response): number | undefined {
  const encoding = response.headers.get("content-encoding");
  // fetch decodes gzip/br transparently, so Content-Length would count encoded bytes.
  if (encoding !== null && encoding.trim().toLowerCase() !== "identity") return undefined;
  return parseLength(response.headers.get("content-length"));
}

function discard(response: Response): void {
  response.body?.cancel().catch(() => {});
}

function resumeDelayMs(resume: number): number {
  if (resume <= 1) return 0;
  const cap = Math.min(RESUME_MAX_DELAY_MS, RESUME_BASE_DELAY_MS * 2 ** (resume - 2));
  return cap / 2 + (Math.random() * cap) / 2;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const inner = cause instanceof Error ? ` (${cause.message})` : "";
    return `${error.message}${inner}`;
  }
  return String(error);
}

/**
 * The neutral download loop: fetches `source.url` (no credentials of ours; the link is
 * pre-signed), streams the body into `sink` one chunk at a time, checks the size, and resumes a
 * dropped connection with `Range: bytes=<received>-`.
 *
 * The caller owns the sink: it finalises it when this resolves and discards it when this rejects.
 */
export async function transfer(
  source: DownloadSource,
  sink: DownloadSink,
  options: DownloadOptions,
): Promise<{ bytes: number; contentType: string | undefined; resumes: number }> {
  const { signal, onProgress } = options;
  const maxRetries = options.maxRetries ?? DEFAULT_DOWNLOAD_MAX_RETRIES;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_DOWNLOAD_IDLE_TIMEOUT_MS;
  if (typeof idleTimeoutMs !== "number" || Number.isNaN(idleTimeoutMs) || idleTimeoutMs < 0) {
    throw new ValidationError("idleTimeoutMs", "idleTimeoutMs must be a number of milliseconds ≥ 0.");
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== "function") {
    throw new ValidationError("fetch", "No fetch implementation: pass options.fetch on this runtime.");
  }
  const taskAgeMs = source.taskCreated === undefined ? undefined : Math.max(0, Date.now() - source.taskCreated * 1000);

  let received = 0;
  let total: number | undefined;
  let etag: string | undefined;
  let contentType: string | undefined;
  let resumes = 0;
  let anyResponse = false;
  let lastReported = -1;
  let lastError: unknown;

  const report = () => {
    lastReported = received;
    onProgress?.({ receivedBytes: received, totalBytes: total });
  };

  const startOver = async (why: string): Promise<void> => {
    if (!(await untilAborted(sink.restart(), signal, source))) {
      throw new DownloadError(
        `${why}, and the download cannot start over: ${sink.cannotRestartReason ?? "the destination cannot be rewound"}.`,
        { bytesReceived: received, expectedBytes: total, taskId: source.taskId },
      );
    }
    received = 0;
    total = undefined;
    etag = undefined;
    report();
  };

  let watchdog: ReturnType<typeof startWatchdog> | undefined;
  try {
    for (;;) {
      watchdog?.stop();
      if (signal?.aborted) throw abortError(signal, source);
      watchdog = startWatchdog(signal, idleTimeoutMs);
      const attemptSignal = watchdog.signal;
      const resuming = received > 0;
      const headers: Record<string, string> = {
        // Ask for the stored bytes: Content-Length and Range then count the same bytes that we write.
        "Accept-Encoding": "identity",
      };
      if (resuming) headers.Range = `bytes=${received}-`;

      let response: Response;
      try {
        response = await untilAborted(
          fetchImpl(source.url, { method: "GET", headers, redirect: "follow", signal: attemptSignal }),
          signal,
          source,
        );
      } catch (error) {
        if (signal?.aborted) throw abortError(signal, source);
        if (error instanceof RequestAbortedError) throw error;
        lastError = error;
        if (resumes >= maxRetries) {
          if (!anyResponse) {
            throw new APIConnectionError(`Could not fetch the result: ${describe(error)}`, {
              cause: error,
              taskId: source.taskId,
            });
          }
          throw new DownloadError(
            `The download broke off after ${received} bytes and could not be resumed (${maxRetries} retries): ${describe(error)}`,
            { bytesReceived: received, expectedBytes: total, taskId: source.taskId, cause: error },
          );
        }
        resumes += 1;
        await sleepOrAbort(resumeDelayMs(resumes), signal, source);
        continue;
      }

      // ---- Decide what this response means before reading a byte of it.
      watchdog.touch();
      anyResponse = true;
      const status = response.status;
      if (EXPIRED_STATUSES.has(status)) {
        discard(response);
        throw new ResultExpiredError({ status, taskId: source.taskId, taskAgeMs });
      }
      if (resuming && status === 416) {
        const range = parseContentRange(response.headers.get("content-range"));
        discard(response);
        // The server says there is nothing past `received`: we already have the whole file.
        if (range && "unsatisfiedTotal" in range && range.unsatisfiedTotal === received && total === undefined) {
          total = received;
          break;
        }
        throw new DownloadError(`Resuming at byte ${received} failed: HTTP 416 Range Not Satisfiable.`, {
          status,
          bytesReceived: received,
          expectedBytes: total,
          taskId: source.taskId,
        });
      }
      if (status < 200 || status > 299) {
        discard(response);
        throw new DownloadError(
          `Downloading the result failed: HTTP ${status}${response.statusText ? ` ${response.statusText}` : ""}.`,
          { status, bytesReceived: received, expectedBytes: total, taskId: source.taskId },
        );
      }

      const responseEtag = response.headers.get("etag") ?? undefined;
      if (status === 206) {
        if (!resuming) {
          discard(response);
          throw new DownloadError("The server answered 206 Partial Content to a request without Range.", {
            status,
            bytesReceived: 0,
            taskId: source.taskId,
          });
        }
        const range = parseContentRange(response.headers.get("content-range"));
        const length = parseLength(response.headers.get("content-length"));
        let matches: boolean;
        if (range && "first" in range) {
          matches =
            range.first === received &&
            (range.total === undefined || total === undefined || range.total === total) &&
            (range.total === undefined || range.last === range.total - 1);
          if (matches && total === undefined && range.total !== undefined) total = range.total;
        } else {
          // Browsers hide Content-Range unless the host exposes it; fall back to the length.
          matches = total !== undefined && length === total - received;
        }
        const changed = etag !== undefined && responseEtag !== undefined && responseEtag !== etag;
        if (!matches || changed) {
          discard(response);
          const why = changed
            ? "The result changed on the server while downloading (ETag differs)"
            : `The resumed response does not start at byte ${received} (Content-Range: ${response.headers.get("content-range") ?? "none"})`;
          if (resumes >= maxRetries) {
            throw new DownloadError(`${why}; no retries left to start over (maxRetries ${maxRetries}).`, {
              status,
              bytesReceived: received,
              expectedBytes: total,
              taskId: source.taskId,
            });
          }
          await startOver(why);
          resumes += 1;
          continue;
        }
      } else {
        if (resuming) {
          // The server ignored Range and is sending the whole file again (RFC 9110 §14.2 allows it).
          try {
            await startOver(
              `The server ignored the resume request (Range: bytes=${received}-) and sent the whole file`,
            );
          } catch (error) {
            discard(response);
            throw error;
          }
        }
        total = fullLength(response);
        etag = responseEtag;
      }
      contentType ??= response.headers.get("content-type") ?? undefined;

      // ---- Stream the body; each chunk goes to the sink before the next is read (backpressure).
      let dropped = false;
      let drained = false;
      const reader = response.body?.getReader();
      try {
        while (reader) {
          let chunk: ReadableStreamReadResult<Uint8Array>;
          try {
            chunk = await untilAborted(reader.read(), signal, source);
          } catch (error) {
            if (signal?.aborted) throw abortError(signal, source);
            if (error instanceof RequestAbortedError) throw error;
            // The connection broke mid-body (undici: `TypeError: terminated`).
            lastError = error;
            dropped = true;
            break;
          }
          watchdog.touch();
          if (chunk.done) {
            drained = true;
            break;
          }
          const value = chunk.value;
          if (value.byteLength === 0) continue;
          if (total !== undefined && received + value.byteLength > total) {
            throw new DownloadError(
              `The server sent more than the ${total} bytes it announced (Content-Length mismatch).`,
              { bytesReceived: received + value.byteLength, expectedBytes: total, taskId: source.taskId },
            );
          }
          // Errors from the destination or from onProgress end the download as they are. A slow
          // destination is backpressure, not a silent connection: the idle clock stops meanwhile.
          watchdog.pause();
          await untilAborted(sink.write(value), signal, source);
          received += value.byteLength;
          report();
          watchdog.touch();
        }
      } finally {
        // Release the connection unless the body was read to its end.
        if (!drained) reader?.cancel().catch(() => {});
      }

      // A connection that breaks right after the last byte loses nothing.
      if (!dropped || (total !== undefined && received === total)) {
        if (total !== undefined && received !== total) {
          throw new DownloadError(
            `The download ended after ${received} of ${total} bytes (Content-Length mismatch); the file is incomplete.`,
            { bytesReceived: received, expectedBytes: total, taskId: source.taskId },
          );
        }
        break;
      }

      // ---- The connection dropped mid-body: resume from `received`.
      if (resumes >= maxRetries) {
        throw new DownloadError(
          `The download broke off after ${received}${total === undefined ? "" : ` of ${total}`} bytes and could not be resumed (maxRetries ${maxRetries}): ${describe(lastError)}`,
          { bytesReceived: received, expectedBytes: total, taskId: source.taskId, cause: lastError },
        );
      }
      resumes += 1;
      await sleepOrAbort(resumeDelayMs(resumes), signal, source);
    }
  } finally {
    watchdog?.stop();
  }

  if (lastReported !== received) report();
  return { bytes: received, contentType, resumes };
}

async function sleepOrAbort(ms: number, signal: AbortSignal | undefined, source: DownloadSource): Promise<void> {
  if (ms <= 0) return;
  try {
    await sleep(systemClock, ms, signal);
  } catch {
    throw abortError(signal as AbortSignal, source);
  }
}
