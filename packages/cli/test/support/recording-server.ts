import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** One request seen by a {@link RecordingServer}. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** The JSON answer relayed by a proxy, once it arrived. */
  answer?: string;
}

/** A local HTTP server that remembers every request it gets. */
export interface RecordingServer {
  url: string;
  requests: RecordedRequest[];
  /**
   * Resolves once `matches` holds for the requests seen so far; checked whenever a request
   * arrives or a relayed answer is recorded (an event, never a timer).
   */
  waitFor(matches: (requests: RecordedRequest[]) => boolean): Promise<void>;
  close(): Promise<void>;
}

/** The `waitFor` of a server: its checks run when `changed()` is called. */
function watchRequests(requests: RecordedRequest[]) {
  const watchers = new Set<() => void>();
  return {
    changed() {
      for (const watcher of [...watchers]) watcher();
    },
    waitFor(matches: (seen: RecordedRequest[]) => boolean): Promise<void> {
      return new Promise((resolve) => {
        const check = () => {
          if (!matches(requests)) return;
          watchers.delete(check);
          resolve();
        };
        watchers.add(check);
        check();
      });
    },
  };
}

/** How a {@link startProxy} treats one request, decided before it is forwarded. */
export type ProxyAction =
  /** Forward it and relay the answer (the default). */
  | "forward"
  /** Never answer (the client sees a hung request until it gives up or aborts). */
  | "hang"
  /** Forward it, then relay the headers and half of the body, and stall. */
  | "half";

export interface ProxyOptions {
  /** Picks what happens to each request; `count` is how many earlier requests had the same method and path. */
  action?: (request: RecordedRequest, count: number) => ProxyAction;
}

function listen(server: ReturnType<typeof createServer>): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
    req.on("aborted", () => reject(new Error("aborted")));
  });
}

function tracked(server: ReturnType<typeof createServer>): () => Promise<void> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

/**
 * A server that records every request and answers 418 with a JSON error: used to prove that a
 * command sends nothing (point `EVOLINK_BASE_URL` and `EVOLINK_FILES_BASE_URL` at it).
 */
export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const watch = watchRequests(requests);
  const server = createServer(async (req, res) => {
    const body = (await readBody(req).catch(() => Buffer.alloc(0))).toString("utf8");
    requests.push({ method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers, body });
    watch.changed();
    res.writeHead(418, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "recording_server", message: "This server only records requests." } }));
  });
  const close = tracked(server);
  return { url: await listen(server), requests, waitFor: watch.waitFor, close };
}

/**
 * A recording reverse proxy in front of `target` (the emulator). It rewrites the target's origin
 * to its own in JSON answers, so result and file URLs also go through it, and it can hang or
 * stall chosen requests (see {@link ProxyOptions.action}).
 */
export async function startProxy(target: string, options: ProxyOptions = {}): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const watch = watchRequests(requests);
  const counts = new Map<string, number>();
  let origin = "";
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch {
      return;
    }
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      headers: req.headers,
      body: raw.toString("utf8"),
    };
    requests.push(recorded);
    watch.changed();
    const countKey = `${recorded.method} ${recorded.path.split("?")[0]}`;
    const count = counts.get(countKey) ?? 0;
    counts.set(countKey, count + 1);
    const action = options.action?.(recorded, count) ?? "forward";
    if (action === "hang") return;

    const upstream = httpRequest(new URL(recorded.path, target), {
      method: recorded.method,
      headers: { ...req.headers, host: new URL(target).host },
    });
    upstream.on("response", async (answer) => {
      const headers = { ...answer.headers };
      const json = String(headers["content-type"] ?? "").includes("json");
      if (!json && action === "forward") {
        // Media streams through as it arrives, so a connection the emulator cuts (drop-after)
        // is cut for the client too, at the same byte.
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
        answer.on("aborted", () => res.destroy());
        answer.on("error", () => res.destroy());
        return;
      }
      let body: Buffer;
      try {
        body = await readBody(answer);
      } catch {
        res.destroy();
        return;
      }
      if (json) {
        recorded.answer = body.toString("utf8");
        watch.changed();
        body = Buffer.from(body.toString("utf8").split(target).join(origin));
        headers["content-length"] = String(body.byteLength);
      }
      res.writeHead(answer.statusCode ?? 502, headers);
      if (action === "half") {
        res.write(body.subarray(0, Math.floor(body.byteLength / 2)));
        return;
      }
      res.end(body);
    });
    upstream.on("error", () => res.destroy());
    upstream.end(raw);
  });
  const close = tracked(server);
  origin = await listen(server);
  return { url: origin, requests, waitFor: watch.waitFor, close };
}
