import type { IncomingMessage, ServerResponse } from "node:http";

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
function bodyStream(req: NodeRequest, state: { consumed: boolean }): ReadableStream<Uint8Array> {
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

function toRequest(req: NodeRequest, target: string, signal: AbortSignal, state: { consumed: boolean }): Request {
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
  state: { consumed: boolean },
): Promise<void> {
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
 * before the URL parser could resolve them into another path.
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
export function toNodeHandler(handler: FetchHandler): NodeHandler {
  if (typeof handler !== "function")
    throw new TypeError("toNodeHandler() needs a (request) => Promise<Response> function.");
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
    const state = { consumed: false };
    const fail = (error: unknown) => {
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
    handler(request)
      .then((response) => writeResponse(response, req, res, state))
      .catch(fail);
  };
}
