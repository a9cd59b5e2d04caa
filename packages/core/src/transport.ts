import type { Clock } from "./clock.js";
import { APITimeoutError, RequestAbortedError, type VideoRetalkError } from "./errors.js";
import {
  connectionErrorWithoutDetail,
  type FailurePath,
  type LoadFailurePath,
  loadFailurePathLazily,
} from "./failure-loader.js";
import { newIdempotencyKey } from "./idempotency-key.js";
import type { Logger } from "./logger.js";
import { redactText } from "./redact.js";
import type { AttemptOutcome, RetryPolicy } from "./retry.js";
import type { TimeoutScheduler } from "./timeout-scheduler.js";
import type { CallObserver, TracedRequest } from "./tracing/spans.js";

/** Per-call transport settings; each overrides the client's default. */
export interface TransportCallOptions {
  /** Aborts the request in flight and any pending retry at once. */
  signal?: AbortSignal | undefined;
  /** Time limit of one attempt, in ms. */
  timeoutMs?: number | undefined;
  /** Time limit of the whole call, attempts and waits included, in ms. */
  deadlineMs?: number | undefined;
  /** Retries after the first attempt. */
  maxRetries?: number | undefined;
}

export interface TransportConfig {
  fetch: () => typeof fetch;
  /** The `Authorization` value, `undefined` for none; throws when a required key is missing. */
  authorization: () => string | undefined;
  /** Headers sent with every request; keys lower-cased. */
  headers: Record<string, string>;
  secrets: readonly string[];
  timeoutMs: number;
  deadlineMs: number | undefined;
  maxRetries: number;
  clock: Clock;
  random: () => number;
  logger: Logger | undefined;
  /**
   * Opens a trace for one call, or returns `undefined` when nothing is traced (then the call
   * costs nothing extra). See tracing/tracing.ts; the span code itself is loaded lazily.
   */
  observe?: ((request: TracedRequest) => Promise<CallObserver | undefined> | undefined) | undefined;
  /**
   * A shared timer for attempts without an AbortSignal (the Node build passes one: undici makes
   * per-request timers and signals measurably slower). Without it every attempt arms and clears
   * its own timer, which costs browsers nothing noticeable and keeps their bundle smaller.
   */
  timeouts?: TimeoutScheduler | undefined;
  /**
   * Loads the code a call needs only once an attempt has failed: the retry loop and the
   * descriptions of every failure (failure-path.ts). The Node build passes it preloaded;
   * default: `import()` on the first failure.
   */
  failures?: LoadFailurePath | undefined;
}

/** One API request, before authentication and idempotency are added. */
export interface TransportRequest {
  method: string;
  url: string;
  /** Used in messages and logs instead of the full URL. */
  path: string;
  headers?: Record<string, string> | undefined;
  /** A string, or a factory called once per attempt for bodies that can only be read once. */
  body?: string | (() => BodyInit) | undefined;
  /**
   * Whether a non-GET request carries an `Idempotency-Key` (one is generated when the headers
   * have none). Default true: the generation endpoints honour it. The Files API does not
   * document it, so uploads turn it off; they are retried under the same cautious rules anyway.
   */
  idempotencyKey?: boolean | undefined;
  /**
   * Overrides the retry rules chosen from the method: `"read"` for a POST that only reads (the
   * batch task read), so it is retried like a GET. Default: GET/HEAD → `"read"`, else `"create"`.
   */
  retryPolicy?: RetryPolicy | undefined;
  /** The operation's path template (`/v1/tasks/{task_id}`), for traces; `path` is used if absent. */
  route?: string | undefined;
}

/** A response whose body has been read completely within the attempt's time limit. */
export interface BufferedResponse {
  status: number;
  statusText: string;
  ok: boolean;
  headers: Headers;
  text: string;
  /** The idempotency key the request carried (POST only). */
  idempotencyKey: string | undefined;
}

export interface Transport {
  /** Sends a request with retries; resolves with the final response, even an HTTP error. */
  request(request: TransportRequest, call?: TransportCallOptions): Promise<BufferedResponse>;
}

/** How one attempt ended. */
export type AttemptResult =
  | { ok: true; response: Response; text: string }
  // Timed out or aborted: the error is known at once.
  | { ok: false; outcome: AttemptOutcome; error: VideoRetalkError }
  // The fetch threw: it is classified and described only if the call fails (see retry-loop.ts).
  | { ok: false; thrown: unknown };

/** A call after an attempt that did not succeed, as retry-loop.ts continues it. */
export interface CallInProgress {
  /** `GET /v1/tasks/…`, redacted; built on first use. */
  label: () => string;
  policy: RetryPolicy;
  idempotencyKey: string | undefined;
  /** Clock time past which no attempt starts. */
  deadlineAt: number;
  maxRetries: number;
  signal: AbortSignal | undefined;
  observer: CallObserver | undefined;
  config: TransportConfig;
  /** Makes attempt number `retry + 1` (0 is the first) within the call's time limits. */
  attempt: (retry: number) => Promise<AttemptResult>;
}

/** Lower-cases header names so that a caller's `Authorization` cannot sit beside ours. */
export function normalizeHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers) for (const key of Object.keys(headers)) out[key.toLowerCase()] = String(headers[key]);
  return out;
}

/**
 * The fetch wrapper behind every API call: authentication, idempotency key, per-attempt timeout,
 * overall deadline, retries with backoff, and abort. Bodies are read inside the attempt, so a
 * body that stalls or breaks off counts against the attempt that fetched it.
 *
 * With a caller `signal`, each attempt gets its own AbortController, so an abort or a timeout
 * tears the connection down at once. Without one, a timed-out attempt is abandoned and its
 * connection closes when the server answers; skipping the AbortSignal keeps the hot path as
 * fast as a bare `fetch` (undici spends ~7 µs wiring up every signal).
 */
export function createTransport(config: TransportConfig): Transport {
  const { clock, secrets, timeouts } = config;

  async function fetchAndRead(
    url: string,
    init: RequestInit,
    abandoned: () => boolean,
  ): Promise<{ response: Response; text: string }> {
    const response = await config.fetch()(url, init);
    // An attempt given up on (timeout without a signal to abort it) frees its connection as soon
    // as the headers arrive instead of reading a body nobody will use.
    if (abandoned()) {
      await response.body?.cancel().catch(() => {});
      return { response, text: "" };
    }
    const text = await response.text();
    return { response, text };
  }

  function attempt(
    url: string,
    init: RequestInit,
    label: () => string,
    budgetMs: number,
    cutByDeadline: boolean,
    signal: AbortSignal | undefined,
    idempotencyKey: string | undefined,
  ): Promise<AttemptResult> {
    return new Promise((resolve) => {
      let settled = false;
      const controller = signal ? new AbortController() : undefined;
      const finish = (result: AttemptResult) => {
        if (settled) return;
        settled = true;
        cancelTimeout();
        signal?.removeEventListener("abort", onAbort);
        resolve(result);
      };
      // Aborts and timeouts share the retry rules of a timeout; only the error differs.
      const stop = (error: VideoRetalkError) => {
        controller?.abort();
        finish({ ok: false, outcome: { kind: "timeout" }, error });
      };
      const onAbort = () => {
        stop(new RequestAbortedError(`${label()} was aborted.`, { idempotencyKey }));
        timeouts?.clearIfIdle();
      };
      const onTimeout = () => {
        const why = cutByDeadline ? "reached the call's deadline" : `timed out after ${budgetMs} ms`;
        stop(new APITimeoutError(`${label()} ${why}.`, { idempotencyKey }));
      };
      // A call that can be aborted gets its own timer, cleared with the attempt, so an abort
      // never leaves a timer behind; unabortable calls share the lazy scheduler when there is one.
      let cancelTimeout: () => void;
      if (signal || !timeouts) {
        const timer = clock.setTimeout(onTimeout, budgetMs);
        cancelTimeout = () => clock.clearTimeout(timer);
      } else {
        cancelTimeout = timeouts.add(clock.now() + budgetMs, onTimeout);
      }
      if (signal && controller) {
        signal.addEventListener("abort", onAbort, { once: true });
        if (signal.aborted) onAbort();
        init.signal = controller.signal;
      }
      if (settled) return;
      fetchAndRead(url, init, () => settled).then(
        ({ response, text }) => finish({ ok: true, response, text }),
        (thrown: unknown) => finish({ ok: false, thrown }),
      );
    });
  }

  /** `send`, inside a span when a tracer provider is registered. */
  async function request(req: TransportRequest, call: TransportCallOptions = {}): Promise<BufferedResponse> {
    const opening = config.observe?.({ method: req.method, url: req.url, route: req.route });
    const observer = opening && (await opening);
    if (!observer) return send(req, call, undefined);
    try {
      const response = await send(req, call, observer);
      observer.end(response);
      return response;
    } catch (error) {
      observer.end(undefined, error);
      throw error;
    }
  }

  async function send(
    req: TransportRequest,
    options: TransportCallOptions,
    observer: CallObserver | undefined,
  ): Promise<BufferedResponse> {
    const { signal } = options;
    const method = req.method.toUpperCase();
    // Only errors and logs read the label, so it is built when they ask.
    const label = () => `${method} ${redactText(req.path, secrets)}`;
    if (signal?.aborted) {
      timeouts?.clearIfIdle();
      throw new RequestAbortedError(`${label()} was aborted before it was sent.`);
    }

    const headers: Record<string, string> = req.headers
      ? { ...config.headers, ...normalizeHeaders(req.headers) }
      : { ...config.headers };
    const authorization = config.authorization();
    if (authorization !== undefined) headers.authorization = authorization;
    const policy: RetryPolicy = req.retryPolicy ?? (method === "GET" || method === "HEAD" ? "read" : "create");
    let idempotencyKey: string | undefined;
    if (policy === "create" && req.idempotencyKey !== false) {
      idempotencyKey = headers["idempotency-key"] ?? newIdempotencyKey();
      headers["idempotency-key"] = idempotencyKey;
    }

    const timeoutMs = options.timeoutMs ?? config.timeoutMs;
    const deadlineMs = options.deadlineMs ?? config.deadlineMs;
    const deadlineAt = deadlineMs === undefined ? Number.POSITIVE_INFINITY : clock.now() + deadlineMs;

    const call: CallInProgress = {
      label,
      policy,
      idempotencyKey,
      deadlineAt,
      maxRetries: options.maxRetries ?? config.maxRetries,
      signal,
      observer,
      config,
      attempt(retry) {
        observer?.attempt(retry + 1);
        const remainingMs = deadlineAt - clock.now();
        const init: RequestInit = { method, headers };
        if (typeof req.body === "function") {
          init.body = req.body();
          // Streaming request bodies must be declared half-duplex (Fetch standard; undici enforces it).
          // Every supported runtime has ReadableStream (Node 18+, Bun, Deno, Workers, browsers).
          if (init.body instanceof ReadableStream) {
            (init as RequestInit & { duplex?: string }).duplex = "half";
          }
        } else if (req.body !== undefined) {
          init.body = req.body;
        }
        const budgetMs = Math.max(0, Math.min(timeoutMs, remainingMs));
        return attempt(req.url, init, label, budgetMs, remainingMs <= timeoutMs, signal, idempotencyKey);
      },
    };

    const first = await call.attempt(0);
    if (first.ok && first.response.ok) return bufferedResponse(first, idempotencyKey);
    if ("error" in first && first.error instanceof RequestAbortedError) throw first.error;
    // Retrying and describing failures live in retry-loop.ts, loaded on the first failure.
    let failures: FailurePath;
    try {
      failures = await (config.failures ?? loadFailurePathLazily)();
    } catch {
      // No retry without that code; an abort during the load still wins over the first failure.
      if (signal?.aborted) throw new RequestAbortedError(`${label()} was aborted.`, { idempotencyKey });
      if (first.ok) return bufferedResponse(first, idempotencyKey);
      if ("error" in first) throw first.error;
      throw connectionErrorWithoutDetail(label(), first.thrown, secrets, idempotencyKey);
    }
    return failures.continueCall(first, call);
  }

  return { request };
}

/** The response of a finished call. */
export function bufferedResponse(
  result: { response: Response; text: string },
  idempotencyKey: string | undefined,
): BufferedResponse {
  const { response, text } = result;
  return {
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    headers: response.headers,
    text,
    idempotencyKey,
  };
}
