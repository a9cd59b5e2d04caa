import { RequestAbortedError, type Task, ValidationError } from "@videoretalk/core";
import { afterEach, describe, expect, it } from "vitest";
// The neutral build: what browsers, Deno, Bun and edge runtimes get.
import { downloadResult } from "../../src/download/download-result.js";
import { DownloadError, ResultExpiredError } from "../../src/errors.js";
import { makePayload, type ResultServer, serveBytes, startResultServer } from "./result-server.js";

const PAYLOAD = makePayload(2 * 1024 * 1024 + 17);

let server: ResultServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function completedTask(url: string): Task {
  return { id: "task-unified-1756817821-abcdefgh", status: "completed", created: 1756817821, results: [url] };
}

/** A WritableStream that collects chunks; `slowMs` makes each write wait (a slow consumer). */
function collector(slowMs = 0) {
  const chunks: Uint8Array[] = [];
  let closed = false;
  let abortReason: unknown;
  const stream = new WritableStream<Uint8Array>(
    {
      async write(chunk) {
        if (slowMs) await new Promise((resolve) => setTimeout(resolve, slowMs));
        chunks.push(chunk);
      },
      close() {
        closed = true;
      },
      abort(reason) {
        abortReason = reason;
      },
    },
    new CountQueuingStrategy({ highWaterMark: 2 }),
  );
  return {
    stream,
    bytes: () => Buffer.concat(chunks),
    closed: () => closed,
    abortReason: () => abortReason,
  };
}

describe("downloadResult (neutral build)", () => {
  it("refuses a file path with a ValidationError on `destination` that explains paths need Node", async () => {
    server = await startResultServer(serveBytes(PAYLOAD));
    const error = await downloadResult(completedTask(server.url), "/tmp/result.mp4").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("destination");
    expect((error as ValidationError).message).toMatch(/Node/);
    expect((error as ValidationError).message).toMatch(/WritableStream/);
    expect(server.requests).toHaveLength(0);
  });

  it("streams into a WritableStream, honouring its backpressure, and closes it", async () => {
    server = await startResultServer(serveBytes(PAYLOAD));
    const sink = collector(1);
    const seen: number[] = [];
    const result = await downloadResult(completedTask(server.url), sink.stream, {
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
    server = await startResultServer(serveBytes(PAYLOAD, { dropAfter: { bytes: 700 * 1024, onRequests: [0] } }));
    const sink = collector();
    const result = await downloadResult(server.url, sink.stream);
    expect(result.resumes).toBe(1);
    expect(server.requests[1]?.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(sink.bytes().equals(PAYLOAD)).toBe(true);
  });

  it("fails with DownloadError when the server ignores Range: a stream cannot be rewound", async () => {
    server = await startResultServer(
      serveBytes(PAYLOAD, { honourRange: false, dropAfter: { bytes: 700 * 1024, onRequests: [0] } }),
    );
    const sink = collector();
    const error = await downloadResult(server.url, sink.stream).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).message).toMatch(/ignored the resume request/);
    expect((error as DownloadError).message).toMatch(/WritableStream cannot be taken back/);
    // The stream is aborted with the error, like pipeTo().
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sink.abortReason()).toBe(error);
    expect(sink.closed()).toBe(false);
  });

  it("a 206 whose Content-Range does not start at the received offset is refused for a stream", async () => {
    server = await startResultServer((req, res) => {
      if (req.headers.range) {
        res.writeHead(206, { "Content-Range": `bytes 0-${PAYLOAD.length - 1}/${PAYLOAD.length}` });
        res.end(PAYLOAD);
        return;
      }
      serveBytes(PAYLOAD, { dropAfter: { bytes: 300 * 1024, onRequests: [0] } })(req, res, 0);
    });
    const sink = collector();
    const error = await downloadResult(server.url, sink.stream).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).message).toMatch(/does not start at byte/);
  });

  it("410 → ResultExpiredError; 502 → DownloadError", async () => {
    server = await startResultServer((_req, res, i) => {
      res.statusCode = i === 0 ? 410 : 502;
      res.end();
    });
    const expired = await downloadResult(completedTask(server.url), collector().stream).catch((e: unknown) => e);
    expect(expired).toBeInstanceOf(ResultExpiredError);
    expect((expired as ResultExpiredError).message).toMatch(/hours ago/);
    const failed = await downloadResult(server.url, collector().stream).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(DownloadError);
    expect((failed as DownloadError).status).toBe(502);
  });

  it("abort while the destination is stalled rejects at once and aborts the stream", async () => {
    server = await startResultServer(serveBytes(PAYLOAD));
    const controller = new AbortController();
    // A destination that never finishes its first write.
    const stalled = new WritableStream<Uint8Array>({ write: () => new Promise(() => {}) });
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    const error = await downloadResult(server.url, stalled, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("validates its input before sending anything", async () => {
    server = await startResultServer(serveBytes(PAYLOAD));
    const running: Task = { id: "task-unified-1-a", status: "processing" };
    const cases: [unknown, string][] = [
      [await downloadResult(running, collector().stream).catch((e: unknown) => e), "status"],
      [
        await downloadResult({ ...running, status: "completed" }, collector().stream).catch((e: unknown) => e),
        "results",
      ],
      [await downloadResult("not a url", collector().stream).catch((e: unknown) => e), "results"],
      [await downloadResult("file:///etc/passwd", collector().stream).catch((e: unknown) => e), "results"],
      [await downloadResult(server.url, collector().stream, { maxRetries: -1 }).catch((e: unknown) => e), "maxRetries"],
      [await downloadResult(server.url, collector().stream, { index: 1.5 }).catch((e: unknown) => e), "index"],
      [
        await downloadResult(server.url, {} as unknown as WritableStream<Uint8Array>).catch((e: unknown) => e),
        "destination",
      ],
    ];
    for (const [error, field] of cases) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
    }
    expect(server.requests).toHaveLength(0);
  });
});
