import { RequestAbortedError, type Task, ValidationError } from "@videoretalk/core";
import { flushMicrotasks } from "@videoretalk/test-support";
import { afterEach, describe, expect, it } from "vitest";
// The neutral build: what browsers, Deno, Bun and edge runtimes get.
import { downloadResult } from "../../src/download/download-result.js";
import type { DownloadOptions } from "../../src/download/options.js";
import { DownloadError, ResultExpiredError } from "../../src/errors.js";
import { makePayload, progressTracker, type ResultServer, serveBytes, startResultServer } from "./result-server.js";

/** The test servers listen on loopback http, which downloads refuse unless allowed. */
const download = ((
  taskOrUrl: Task | string,
  destination: string | WritableStream<Uint8Array>,
  options?: DownloadOptions,
) => downloadResult(taskOrUrl, destination, { allowPrivateNetwork: true, ...options })) as typeof downloadResult;

const PAYLOAD = makePayload(2 * 1024 * 1024 + 17);

let server: ResultServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function completedTask(url: string): Task {
  return { id: "task-unified-1756817821-abcdefgh", status: "completed", created: 1756817821, results: [url] };
}

/**
 * A WritableStream that collects chunks; `slow` makes each write yield to the event loop first
 * (a slow consumer, without depending on timer precision).
 */
function collector(slow = false) {
  const chunks: Uint8Array[] = [];
  let closed = false;
  let onAbort: (reason: unknown) => void = () => {};
  const aborted = new Promise<unknown>((resolve) => {
    onAbort = resolve;
  });
  const stream = new WritableStream<Uint8Array>(
    {
      async write(chunk) {
        if (slow) await flushMicrotasks();
        chunks.push(chunk);
      },
      close() {
        closed = true;
      },
      abort(reason) {
        onAbort(reason);
      },
    },
    new CountQueuingStrategy({ highWaterMark: 2 }),
  );
  return {
    stream,
    bytes: () => Buffer.concat(chunks),
    closed: () => closed,
    /** Resolves with the reason the stream was aborted with. */
    aborted,
  };
}

describe("downloadResult (neutral build)", () => {
  it("refuses a file path with a ValidationError on `destination` that explains paths need Node", async () => {
    server = await startResultServer(serveBytes(PAYLOAD));
    const error = await download(completedTask(server.url), "/tmp/result.mp4").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("destination");
    expect((error as ValidationError).message).toMatch(/Node/);
    expect((error as ValidationError).message).toMatch(/WritableStream/);
    expect(server.requests).toHaveLength(0);
  });

  it("streams into a WritableStream, honouring its backpressure, and closes it", async () => {
    server = await startResultServer(serveBytes(PAYLOAD));
    const sink = collector(true);
    const seen: number[] = [];
    const result = await download(completedTask(server.url), sink.stream, {
      onProgress: (p) => seen.push(p.receivedBytes),
    });
    expect(result.bytes).toBe(PAYLOAD.length);
    expect(result.destination).toBe(sink.stream);
    expect(result.url).toBe(server.url);
    expect(sink.closed()).toBe(true);
    expect(sink.bytes().equals(PAYLOAD)).toBe(true);
    expect(seen.at(-1)).toBe(PAYLOAD.length);
    expect(server.requests[0]?.authorization).toBeUndefined();
  });

  it("resumes a dropped connection into the same stream with a 206", async () => {
    const progress = progressTracker();
    server = await startResultServer(
      serveBytes(PAYLOAD, { dropAfter: { bytes: 700 * 1024, onRequests: [0], until: progress.holdsPartOf } }),
    );
    const sink = collector();
    const result = await download(server.url, sink.stream, { onProgress: progress.onProgress });
    expect(result.resumes).toBe(1);
    expect(server.requests[1]?.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(sink.bytes().equals(PAYLOAD)).toBe(true);
  });

  it("fails with DownloadError when the server ignores Range: a stream cannot be rewound", async () => {
    const progress = progressTracker();
    server = await startResultServer(
      serveBytes(PAYLOAD, {
        honourRange: false,
        dropAfter: { bytes: 700 * 1024, onRequests: [0], until: progress.holdsPartOf },
      }),
    );
    const sink = collector();
    const error = await download(server.url, sink.stream, { onProgress: progress.onProgress }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).message).toMatch(/ignored the resume request/);
    expect((error as DownloadError).message).toMatch(/WritableStream cannot be taken back/);
    // The stream is aborted with the error, like pipeTo().
    expect(await sink.aborted).toBe(error);
    expect(sink.closed()).toBe(false);
  });

  it("a 206 whose Content-Range does not start at the received offset is refused for a stream", async () => {
    const progress = progressTracker();
    server = await startResultServer((req, res) => {
      if (req.headers.range) {
        res.writeHead(206, { "Content-Range": `bytes 0-${PAYLOAD.length - 1}/${PAYLOAD.length}` });
        res.end(PAYLOAD);
        return;
      }
      serveBytes(PAYLOAD, { dropAfter: { bytes: 300 * 1024, onRequests: [0], until: progress.holdsPartOf } })(
        req,
        res,
        0,
      );
    });
    const sink = collector();
    const error = await download(server.url, sink.stream, { onProgress: progress.onProgress }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).message).toMatch(/does not start at byte/);
  });

  it("410 → ResultExpiredError; 502 → DownloadError", async () => {
    server = await startResultServer((_req, res, i) => {
      res.statusCode = i === 0 ? 410 : 502;
      res.end();
    });
    const expired = await download(completedTask(server.url), collector().stream).catch((e: unknown) => e);
    expect(expired).toBeInstanceOf(ResultExpiredError);
    expect((expired as ResultExpiredError).message).toMatch(/hours ago/);
    const failed = await download(server.url, collector().stream).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(DownloadError);
    expect((failed as DownloadError).status).toBe(502);
  });

  it("abort while the destination is stalled rejects without waiting for it, and releases stream and connection", async () => {
    server = await startResultServer(serveBytes(PAYLOAD));
    const controller = new AbortController();
    let writing: () => void = () => {};
    const firstWrite = new Promise<void>((resolve) => {
      writing = resolve;
    });
    // A destination that never finishes its first write.
    const stalled = new WritableStream<Uint8Array>({
      write: () => {
        writing();
        return new Promise(() => {});
      },
    });
    const done = download(server.url, stalled, { signal: controller.signal }).catch((e: unknown) => e);
    await firstWrite;
    controller.abort(new Error("cancelled by the user"));
    const error = await done;
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect((error as RequestAbortedError).cause).toEqual(new Error("cancelled by the user"));
    expect(stalled.locked).toBe(false);
    await server.connectionClosed(0);
  });

  it("validates its input before sending anything", async () => {
    server = await startResultServer(serveBytes(PAYLOAD));
    const running: Task = { id: "task-unified-1-a", status: "processing" };
    const cases: [unknown, string][] = [
      [await download(running, collector().stream).catch((e: unknown) => e), "status"],
      [await download({ ...running, status: "completed" }, collector().stream).catch((e: unknown) => e), "results"],
      [await download("not a url", collector().stream).catch((e: unknown) => e), "results"],
      [await download("file:///etc/passwd", collector().stream).catch((e: unknown) => e), "results"],
      [await download(server.url, collector().stream, { maxRetries: -1 }).catch((e: unknown) => e), "maxRetries"],
      [await download(server.url, collector().stream, { index: 1.5 }).catch((e: unknown) => e), "index"],
      [await download(server.url, {} as unknown as WritableStream<Uint8Array>).catch((e: unknown) => e), "destination"],
    ];
    for (const [error, field] of cases) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
    }
    expect(server.requests).toHaveLength(0);
  });
});
