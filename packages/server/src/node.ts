import type { IncomingMessage, ServerResponse } from "node:http";
import { type Clock, systemClock } from "@videoretalk/core";
import { offerAdapterBodyDeadline } from "./body-deadline.js";

/**
 * Adapters from the Fetch-API handlers to `node:http` and Express. Only types come from
 * `node:http`; at run time this module uses the request and response objects it is handed.
 */

/** A Fetch-API handler such as `createProxyHandler()` or `createWebhookHandler()` return. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** `IncomingMessage` plus what Express adds (`originalUrl` keeps the mount path; `body` a parser's result). */
export type NodeRequest = IncomingMessage & { originalUrl?: string; body?: unknown };

/** A `node:http` / Express handler; `next` (Express) receives unexpected handler failures. */
export type NodeHandler = (req: NodeRequest, res: ServerResponse, next?: (error?: unknown) => void) => void;

/** Default time a client gets to send the whole request body, in ms. */
export const DEFAULT_BODY_TIMEOUT_MS = 30_000;

/** Options of {@link toNodeHandler}. */
export interface NodeHandlerOptions {
  /**
   * Time from the request's arrival until its body must have been received, in ms; a client
   * still sending after that (say, one byte every 500 ms) is answered 408 and disconnected,
   * instead of holding the connection until Node's 300 s request timeout. Default 30 000.
   * The proxy's upload route replaces it with its own deadlines (`uploads.bodyTimeoutMs`,
   * `uploads.bodyIdleTimeoutMs`) once the caller is authorized.
   */
  bodyTimeoutMs?: number | undefined;
  /** Time source of the body deadline. Default: the system clock; tests pass a fake one. */
  clock?: Clock | undefined;
}

/** Per-request adapter state shared by the body stream, the deadline and the response writer. */
interface RequestState {
  /** True once `req` ended (or its body came pre-read from a body parser). */
  consumed: boolean;
  /** True once the adapter answered 408 itself; the handler's late answer is dropped. */
  timedOut: boolean;
  /** Fails the handler's body stream, once one exists. */
  failBody: (error: Error) => void;
}

const ignore = () => {};
const BODYLESS_METHODS = new Set(["GET", "HEAD"]);
const HOST_PATTERN = /^[A-Za-z0-9.\-:[\]]{1,255}$/;

/** True for a raw request target with `.`/`..` segments (plain or `%2e`-encoded) or a backslash. */
function hasDotSegmentsOrBackslash(path: string): boolean {
  if (path.includes("\\")) return true;
  return path.split("/").some((segment) => {
    const plain = segment.replace(/%2e/gi, ".");
    return plain === "." || plain === "..";
  });
}

function notFound(res: ServerResponse): void {
  const body = JSON.stringify({
    error: { code: "not_found", message: "Not found.", type: "invalid_request_error" },
  });
  res.writeHead(404, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

/**
 * A body stream that reads from `req` only as fast as the handler consumes it, so a handler that
 * stops at its size cap stops the upload too. `state.consumed` turns true once `req` ended.
 */
function bodyStream(req: NodeRequest, state: RequestState): ReadableStream<Uint8Array> {
  let cleanup = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const onData = (chunk: Buffer | string) => {
        controller.enqueue(typeof chunk === "string" ? new TextEncoder().encode(chunk) : new Uint8Array(chunk));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      };
      const onEnd = () => {
        state.consumed = true;
        cleanup();
        controller.close();
      };
      const onError = (error: Error) => {
        cleanup();
        controller.error(error);
      };
      const onAborted = () => onError(new Error("The client aborted the request."));
      state.failBody = onError;
      cleanup = () => {
        req.off("data", onData);
        req.off("end", onEnd);
        req.off("error", onError);
        req.off("aborted", onAborted);
        // A late socket error must not become an unhandled 'error' event.
        if (!req.listeners("error").includes(ignore)) req.on("error", ignore);
      };
      req.on("data", onData);
      req.on("end", onEnd);
      req.on("error", onError);
      req.on("aborted", onAborted);
      req.pause();
    },
    pull() {
      req.resume();
    },
    cancel() {
      cleanup();
      req.pause();
    },
  });
}

/**
 * The body an Express body parser (which sets `req._body`) already read, encoded again;
 * `undefined` when none ran and the stream is still unread.
 */
function parsedBody(req: NodeRequest): Uint8Array<ArrayBuffer> | undefined {
  if ((req as { _body?: unknown })._body !== true) return undefined;
  const body = req.body;
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return new Uint8Array(body);
  return new TextEncoder().encode(JSON.stringify(body ?? null));
}

function toRequest(req: NodeRequest, target: string, signal: AbortSignal, state: RequestState): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? "";
    // HTTP/2 pseudo-headers (":path") are not headers.
    if (name.startsWith(":")) continue;
    headers.append(name, raw[i + 1] ?? "");
  }
  const host = req.headers.host;
  const origin = `${(req.socket as { encrypted?: boolean } | undefined)?.encrypted ? "https" : "http"}://${
    host && HOST_PATTERN.test(host) ? host : "localhost"
  }`;
  const method = (req.method ?? "GET").toUpperCase();
  const init: RequestInit & { duplex?: "half" } = { method, headers, signal };
  if (!BODYLESS_METHODS.has(method)) {
    const parsed = parsedBody(req);
    if (parsed !== undefined) {
      state.consumed = true;
      headers.delete("content-length");
      headers.delete("transfer-encoding");
      init.body = parsed;
    } else if (req.readableEnded) {
      state.consumed = true;
    } else {
      init.body = bodyStream(req, state);
      init.duplex = "half";
    }
  }
  return new Request(origin + target, init);
}

async function writeResponse(
  response: Response,
  req: NodeRequest,
  res: ServerResponse,
  state: RequestState,
): Promise<void> {
  if (!isResponse(response)) {
    throw new TypeError("The handler must return (or resolve to) a Response.");
  }
  if (state.timedOut || res.headersSent || res.writableEnded) {
    // The adapter already answered (408); the handler's late answer has nowhere to go.
    response.body?.cancel().catch(() => {});
    return;
  }
  res.statusCode = response.status;
  const setCookies =
    typeof response.headers.getSetCookie === "function"
      ? response.headers.getSetCookie()
      : response.headers.get("set-cookie")
        ? [response.headers.get("set-cookie") as string]
        : [];
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") res.setHeader(name, value);
  });
  if (setCookies.length > 0) res.setHeader("set-cookie", setCookies);
  // A body the handler did not read (refused early, or cut at the size cap) is not drained:
  // the connection closes after the answer instead.
  if (!state.consumed && !req.complete) res.setHeader("connection", "close");

  if (response.body === null || req.method === "HEAD") {
    response.body?.cancel().catch(() => {});
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const onClose = () => {
    reader.cancel().catch(() => {});
  };
  res.on("close", onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) return;
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          const resume = () => {
            res.off("drain", resume);
            res.off("close", resume);
            resolve();
          };
          res.on("drain", resume);
          res.on("close", resume);
        });
      }
    }
    res.end();
  } finally {
    res.off("close", onClose);
  }
}

function isResponse(value: unknown): value is Response {
  if (value === null || typeof value !== "object") return false;
  const { status, headers } = value as { status?: unknown; headers?: unknown };
  return typeof status === "number" && typeof (headers as Headers | undefined)?.forEach === "function";
}

function resolveBodyTimeoutMs(value: number | undefined): number {
  if (value === undefined) return DEFAULT_BODY_TIMEOUT_MS;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`bodyTimeoutMs must be a positive number of milliseconds, got ${String(value)}.`);
  }
  return value;
}

/** Answers 408 and closes the connection; the handler's own answer is dropped. */
function requestTimeout(res: ServerResponse): void {
  const body = JSON.stringify({
    error: {
      code: "request_timeout",
      message: "The request body was not received in time.",
      type: "invalid_request_error",
    },
  });
  res.writeHead(408, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    connection: "close",
  });
  res.end(body);
}

/**
 * Starts the body deadline for a request whose body is still arriving; the timer stops when
 * the body has been received or the response is done. Returns a function that stops it early
 * (a route with deadlines of its own calls it).
 */
function startBodyDeadline(
  req: NodeRequest,
  res: ServerResponse,
  state: RequestState,
  deadline: { timeoutMs: number; clock: Clock },
  abort: () => void,
): () => void {
  if (state.consumed || req.complete || BODYLESS_METHODS.has((req.method ?? "GET").toUpperCase())) return ignore;
  const { clock, timeoutMs } = deadline;
  const stop = () => {
    clock.clearTimeout(timer);
    req.off("end", stop);
    res.off("close", stop);
    res.off("finish", stop);
  };
  const timer = clock.setTimeout(() => {
    stop();
    if (req.complete || state.consumed || res.headersSent) return;
    state.timedOut = true;
    try {
      state.failBody(new Error("The request body was not received in time."));
    } catch {
      // The stream was already closed or cancelled by the handler; nothing is waiting on it.
    }
    abort();
    requestTimeout(res);
  }, timeoutMs);
  // A pending deadline must not keep a process alive that is otherwise done.
  (timer as { unref?: () => void } | undefined)?.unref?.();
  req.on("end", stop);
  res.on("close", stop);
  res.on("finish", stop);
  return stop;
}

/**
 * Wraps a Fetch-API handler for `node:http` and Express. The request body is streamed to the
 * handler as it is read (never buffered up front), so the handler's body cap stops an oversized
 * upload; an unread body closes the connection after the answer rather than being drained.
 * Response bodies are streamed with backpressure, and the handler's `request.signal` aborts when
 * the client disconnects.
 *
 * Under Express, mount it before any body parser (or the body is rebuilt from `req.body`), and
 * with `app.use(path, …)` the proxy still sees the full path through `req.originalUrl`.
 * Request targets with dot segments (`/a/../b`, `%2e%2e`) or backslashes are refused with 404
 * before the URL parser could resolve them into another path. A body still arriving
 * `bodyTimeoutMs` (default 30 s) after the request is answered 408 and the connection closed;
 * the proxy's upload route applies its own, longer deadlines instead.
 * A handler that throws, synchronously or not, or returns something that is not a `Response`,
 * is answered 500 (or passed to Express's `next`); the server keeps serving.
 *
 * @example node:http
 * ```ts
 * import { createServer } from "node:http";
 * import { createProxyHandler } from "@videoretalk/server";
 * import { toNodeHandler } from "@videoretalk/server/node";
 *
 * const proxy = toNodeHandler(createProxyHandler({ basePath: "/api/videoretalk", authorize }));
 * createServer(proxy).listen(3000);
 * ```
 * @example Express
 * ```ts
 * app.use("/api/videoretalk", toNodeHandler(createProxyHandler({ basePath: "/api/videoretalk", authorize })));
 * app.post("/hooks/videoretalk", toNodeHandler(createWebhookHandler({ secret, onTask })));
 * ```
 */
export function toNodeHandler(handler: FetchHandler, options: NodeHandlerOptions = {}): NodeHandler {
  if (typeof handler !== "function")
    throw new TypeError("toNodeHandler() needs a (request) => Promise<Response> function.");
  const deadline = { timeoutMs: resolveBodyTimeoutMs(options?.bodyTimeoutMs), clock: options?.clock ?? systemClock };
  return (req, res, next) => {
    const target = req.originalUrl ?? req.url ?? "/";
    if (!target.startsWith("/") || hasDotSegmentsOrBackslash(target.split("?", 1)[0] ?? "")) {
      res.setHeader("connection", "close");
      notFound(res);
      return;
    }
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    const state: RequestState = { consumed: false, timedOut: false, failBody: ignore };
    const fail = (error: unknown) => {
      if (state.timedOut) return;
      if (next) {
        next(error);
        return;
      }
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500, { "content-type": "text/plain; charset=utf-8", connection: "close" });
      res.end("Internal Server Error");
    };
    let request: Request;
    try {
      request = toRequest(req, target, controller.signal, state);
    } catch {
      // Only header values Node accepted but the Fetch API does not get here.
      res.writeHead(400, { "content-type": "application/json", connection: "close" });
      res.end(
        JSON.stringify({ error: { code: "invalid_request", message: "Bad request.", type: "invalid_request_error" } }),
      );
      return;
    }
    offerAdapterBodyDeadline(
      request,
      startBodyDeadline(req, res, state, deadline, () => controller.abort()),
    );
    // Inside a promise chain, so a handler that throws synchronously or returns a plain value
    // becomes a 500 rather than an uncaught exception that ends the process.
    Promise.resolve()
      .then(() => handler(request))
      .then((response) => writeResponse(response, req, res, state))
      .catch(fail);
  };
}
