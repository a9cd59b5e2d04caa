import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ValidationError } from "@videoretalk/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { downloadResult as neutralDownload } from "../../src/download/download-result.js";
import { downloadResult as nodeDownload } from "../../src/download/download-result.node.js";
import { DEFAULT_DOWNLOAD_MAX_BYTES } from "../../src/download/options.js";
import { DownloadError, DownloadTooLargeError } from "../../src/errors.js";
import { makePayload, type ResultServer, serveBytes, startResultServer } from "./result-server.js";

const MiB = 1024 * 1024;
const PAYLOAD = makePayload(3 * MiB + 99);

let dir: string;
let server: ResultServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vr-download-limits-"));
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe("downloadResult maxBytes", () => {
  it("defaults to 2 GiB", () => {
    expect(DEFAULT_DOWNLOAD_MAX_BYTES).toBe(2 * 1024 ** 3);
  });

  it("refuses a Content-Length over the default before reading the body", async () => {
    let pulled = 0;
    const fetchImpl: typeof fetch = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            pulled += 1;
            controller.enqueue(new Uint8Array(64 * 1024));
          },
        }),
        { status: 200, headers: { "Content-Length": String(2 * 1024 ** 3 + 1) } },
      );
    const progress: number[] = [];
    const error = await neutralDownload("https://cdn.example.com/huge.mp4", new WritableStream(), {
      fetch: fetchImpl,
      onProgress: (p) => progress.push(p.receivedBytes),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadTooLargeError);
    expect(error).toBeInstanceOf(DownloadError);
    const tooLarge = error as DownloadTooLargeError;
    expect(tooLarge.maxBytes).toBe(2 * 1024 ** 3);
    expect(tooLarge.expectedBytes).toBe(2 * 1024 ** 3 + 1);
    expect(tooLarge.bytesReceived).toBe(0);
    expect(tooLarge.message).toMatch(/maxBytes/);
    expect(progress).toEqual([]);
    // At most the stream's own read-ahead: no chunk reached the destination.
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it("refuses a Content-Length over maxBytes up front: one request, no body written, no file left", async () => {
    server = await startResultServer(serveBytes(PAYLOAD));
    const progress: number[] = [];
    const error = await nodeDownload(server.url, join(dir, "big.mp4"), {
      allowPrivateNetwork: true,
      maxBytes: MiB,
      onProgress: (p) => progress.push(p.receivedBytes),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadTooLargeError);
    expect((error as DownloadTooLargeError).expectedBytes).toBe(PAYLOAD.length);
    expect((error as DownloadTooLargeError).maxBytes).toBe(MiB);
    expect(progress).toEqual([]);
    expect(server.requests).toHaveLength(1);
    expect(await readdir(dir)).toEqual([]);
  });

  it("stops a body without Content-Length that grows past maxBytes and deletes the temp file", async () => {
    server = await startResultServer(serveBytes(PAYLOAD, { contentLength: false }));
    const progress: number[] = [];
    const error = await nodeDownload(server.url, join(dir, "growing.mp4"), {
      allowPrivateNetwork: true,
      maxBytes: MiB,
      onProgress: (p) => progress.push(p.receivedBytes),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadTooLargeError);
    const tooLarge = error as DownloadTooLargeError;
    expect(tooLarge.expectedBytes).toBeUndefined();
    expect(tooLarge.bytesReceived).toBeLessThanOrEqual(MiB);
    expect(tooLarge.message).toMatch(/grew past 1048576 bytes/);
    expect(Math.max(0, ...progress)).toBeLessThanOrEqual(MiB);
    expect(server.requests).toHaveLength(1); // not resumed: too large is final
    expect(await readdir(dir)).toEqual([]);
  });

  it("accepts a result of exactly maxBytes", async () => {
    server = await startResultServer(serveBytes(PAYLOAD, { contentLength: false }));
    const result = await nodeDownload(server.url, join(dir, "exact.mp4"), {
      allowPrivateNetwork: true,
      maxBytes: PAYLOAD.length,
    });
    expect(result.bytes).toBe(PAYLOAD.length);
    expect(await readdir(dir)).toEqual(["exact.mp4"]);
  });

  it.each([0, -1, Number.NaN, "1GB"])("refuses maxBytes %s before sending anything", async (maxBytes) => {
    server = await startResultServer(serveBytes(PAYLOAD));
    const error = await nodeDownload(server.url, join(dir, "x.mp4"), {
      allowPrivateNetwork: true,
      maxBytes: maxBytes as number,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("maxBytes");
    expect(server.requests).toHaveLength(0);
  });
});
