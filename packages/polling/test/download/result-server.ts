import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A deterministic, non-repeating-looking payload (not all zeros, so offsets errors show up). */
export function makePayload(size: number): Buffer {
  const payload = Buffer.allocUnsafe(size);
  let x = 0x12345678;
  for (let i = 0; i < size; i++) {
    // xorshift32: cheap, deterministic, and any misplaced range changes the bytes.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    payload[i] = x & 0xff;
  }
  return payload;
}

export interface ResultServer {
  url: string;
  /** Headers of every request received, in order. */
  requests: IncomingHttpHeaders[];
  /** Resolves once `count` requests have arrived. */
  received(count: number): Promise<void>;
  /** Resolves when the connection that carried request `index` (0-based) is closed. */
  connectionClosed(index: number): Promise<void>;
  /** How many TCP connections clients have opened so far. */
  connectionCount(): number;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, requestIndex: number) => void;

/** Starts an HTTP server on 127.0.0.1 with a random port; `close()` also drops open sockets. */
export async function startResultServer(handler: Handler): Promise<ResultServer> {
  const requests: IncomingHttpHeaders[] = [];
  const closed: Promise<void>[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((req, res) => {
    requests.push(req.headers);
    const socket = req.socket;
    closed.push(new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once("close", () => resolve()))));
    for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    handler(req, res, requests.length - 1);
  });
  server.on("connection", (socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/results/task-unified-1756817821-4x3rx6ny.mp4`,
    requests,
    received: (count) =>
      requests.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    connectionClosed: async (index) => {
      await (requests.length > index
        ? Promise.resolve()
        : new Promise<void>((r) => waiters.push({ count: index + 1, resolve: r })));
      await closed[index];
    },
    connectionCount: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface ServeOptions {
  /** Send `Content-Length` (default true); without it the body is chunked. */
  contentLength?: boolean;
  /** Answer `Range` with 206 (default true); false sends the whole body with 200. */
  honourRange?: boolean;
  /**
   * Destroy the socket after this many body bytes, on the listed request indexes only, once
   * `until(start)` resolves (`start`: the first byte this response sent). Waiting until the
   * client holds some of these bytes makes the drop land mid-body on any machine: a socket cut
   * too early could lose bytes the client had not read yet.
   */
  dropAfter?: { bytes: number; onRequests: number[]; until: (start: number) => Promise<void> };
  /** Send this many body bytes, then go silent with the socket open, on the listed requests. */
  stallAfter?: { bytes: number; onRequests: number[] };
  /** Never answer (not even headers) the listed requests, keeping the socket open. */
  silentOn?: number[];
  /** Extra response headers. */
  headers?: Record<string, string>;
}

/** Writes `data` in 64 KiB pieces, waiting for the socket to drain (real backpressure). */
async function writeAll(res: ServerResponse, data: Buffer): Promise<void> {
  const piece = 64 * 1024;
  for (let offset = 0; offset < data.length; offset += piece) {
    if (res.destroyed) return;
    const ok = res.write(data.subarray(offset, Math.min(data.length, offset + piece)));
    if (!ok) await new Promise<void>((resolve) => res.once("drain", () => resolve()));
  }
}

/** A handler serving `payload` like a static file host (S3/CloudFront-like Range support). */
export function serveBytes(payload: Buffer, options: ServeOptions = {}): Handler {
  const { contentLength = true, honourRange = true, dropAfter, stallAfter, silentOn = [], headers = {} } = options;
  return (req, res, requestIndex) => {
    void (async () => {
      if (silentOn.includes(requestIndex)) return;
      let start = 0;
      const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
      const partial = honourRange && range !== null;
      if (partial) start = Number(range?.[1]);
      const body = payload.subarray(start);
      res.statusCode = partial ? 206 : 200;
      res.setHeader("Content-Type", "video/mp4");
      res.setHeader("Accept-Ranges", "bytes");
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      if (partial) res.setHeader("Content-Range", `bytes ${start}-${payload.length - 1}/${payload.length}`);
      if (contentLength) res.setHeader("Content-Length", String(body.length));
      if (dropAfter?.onRequests.includes(requestIndex)) {
        res.flushHeaders();
        await writeAll(res, body.subarray(0, dropAfter.bytes));
        await dropAfter.until(start);
        res.socket?.destroy();
        return;
      }
      if (stallAfter?.onRequests.includes(requestIndex)) {
        res.flushHeaders();
        await writeAll(res, body.subarray(0, stallAfter.bytes));
        return; // the socket stays open and silent until the client gives up
      }
      await writeAll(res, body);
      res.end();
    })();
  };
}

/**
 * Follows a download's progress (pass `onProgress` to `downloadResult`), so a server or a test
 * can wait until the client really holds some bytes.
 */
export function progressTracker() {
  let received = 0;
  const waiters: { bytes: number; resolve: () => void }[] = [];
  const atLeast = (bytes: number): Promise<void> =>
    received >= bytes ? Promise.resolve() : new Promise((resolve) => waiters.push({ bytes, resolve }));
  return {
    onProgress(progress: { receivedBytes: number }) {
      received = progress.receivedBytes;
      for (const waiter of waiters.filter((w) => received >= w.bytes)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    },
    /** Resolves once the client reported at least `bytes`. */
    atLeast,
    /** For `dropAfter.until`: resolves once the client holds a byte of a response starting at `start`. */
    holdsPartOf: (start: number) => atLeast(start + 1),
  };
}
