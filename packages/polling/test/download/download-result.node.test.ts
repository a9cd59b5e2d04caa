import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APIConnectionError, RequestAbortedError, type Task, ValidationError } from "@videoretalk/core";
import { FakeClock } from "@videoretalk/test-support";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { downloadResult } from "../../src/download/download-result.node.js";
import type { DownloadOptions } from "../../src/download/options.js";
import { DownloadError, ResultExpiredError } from "../../src/errors.js";
import { makePayload, progressTracker, type ResultServer, serveBytes, startResultServer } from "./result-server.js";

/** The test servers listen on loopback http, which downloads refuse unless allowed. */
const download = ((
  taskOrUrl: Task | string,
  destination: string | WritableStream<Uint8Array>,
  options?: DownloadOptions,
) => downloadResult(taskOrUrl, destination, { allowPrivateNetwork: true, ...options })) as typeof downloadResult;

const PAYLOAD = makePayload(3 * 1024 * 1024 + 4321);
const HOUR_MS = 3_600_000;

function completedTask(url: string, ageMs = 60_000): Task {
  return {
    id: "task-unified-1756817821-4x3rx6ny",
    object: "video.generation.task",
    model: "videoretalk",
    status: "completed",
    progress: 100,
    created: Math.floor((Date.now() - ageMs) / 1000),
    results: [url],
  };
}

let dir: string;
let server: ResultServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vr-download-"));
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function serve(...args: Parameters<typeof serveBytes>): Promise<ResultServer> {
  server = await startResultServer(serveBytes(...args));
  return server;
}

describe("downloadResult to a file path (node build)", () => {
  it("streams the result to the path, with monotonic progress ending at the total", async () => {
    const { url, requests } = await serve(PAYLOAD);
    const target = join(dir, "result.mp4");
    const seen: { receivedBytes: number; totalBytes: number | undefined }[] = [];

    const result = await download(completedTask(url), target, { onProgress: (p) => seen.push(p) });

    expect(result).toEqual({
      bytes: PAYLOAD.length,
      url,
      destination: target,
      contentType: "video/mp4",
      resumes: 0,
    });
    expect((await readFile(target)).equals(PAYLOAD)).toBe(true);
    expect(await readdir(dir)).toEqual(["result.mp4"]);
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]?.receivedBytes).toBeGreaterThan(seen[i - 1]?.receivedBytes ?? Number.POSITIVE_INFINITY);
    }
    expect(seen.at(-1)).toEqual({ receivedBytes: PAYLOAD.length, totalBytes: PAYLOAD.length });
    expect(seen.every((p) => p.totalBytes === PAYLOAD.length)).toBe(true);
    expect(requests).toHaveLength(1);
  });

  it("sends no API key or Authorization header, and asks for the stored bytes", async () => {
    const { url, requests } = await serve(PAYLOAD);
    await download(url, join(dir, "out.mp4"));
    const headers = requests[0] ?? {};
    expect(headers.authorization).toBeUndefined();
    expect(headers["x-api-key"]).toBeUndefined();
    expect(headers.cookie).toBeUndefined();
    expect(headers.range).toBeUndefined();
    expect(headers["accept-encoding"]).toBe("identity");
  });

  it("works without Content-Length (chunked); totalBytes stays undefined", async () => {
    const { url } = await serve(PAYLOAD, { contentLength: false });
    const target = join(dir, "chunked.mp4");
    const seen: { receivedBytes: number; totalBytes: number | undefined }[] = [];

    const result = await download(url, target, { onProgress: (p) => seen.push(p) });

    expect(result.bytes).toBe(PAYLOAD.length);
    expect((await readFile(target)).equals(PAYLOAD)).toBe(true);
    expect(seen.every((p) => p.totalBytes === undefined)).toBe(true);
    expect(seen.at(-1)?.receivedBytes).toBe(PAYLOAD.length);
  });

  it("resumes with Range after the server drops the connection mid-body, and accepts the 206", async () => {
    const progress = progressTracker();
    const { url, requests } = await serve(PAYLOAD, {
      dropAfter: { bytes: 1024 * 1024, onRequests: [0], until: progress.holdsPartOf },
    });
    const target = join(dir, "resumed.mp4");
    const seen: number[] = [];

    const result = await download(completedTask(url), target, {
      onProgress: (p) => {
        progress.onProgress(p);
        seen.push(p.receivedBytes);
      },
    });

    expect(result.resumes).toBe(1);
    expect(result.bytes).toBe(PAYLOAD.length);
    expect((await readFile(target)).equals(PAYLOAD)).toBe(true);
    expect(await readdir(dir)).toEqual(["resumed.mp4"]);
    expect(requests).toHaveLength(2);
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(requests[1]?.range ?? "")?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(1024 * 1024);
    expect(requests[1]?.authorization).toBeUndefined();
    // Progress never went backwards across the resume.
    expect(seen.every((n, i) => i === 0 || n > (seen[i - 1] ?? 0))).toBe(true);
    expect(seen.at(-1)).toBe(PAYLOAD.length);
  });

  it("treats a connection that goes silent mid-body as dropped and resumes it (idleTimeoutMs)", async () => {
    const { url, requests } = await serve(PAYLOAD, { stallAfter: { bytes: 512 * 1024, onRequests: [0] } });
    const target = join(dir, "stalled.mp4");
    const clock = new FakeClock();
    const progress = progressTracker();
    const done = download(completedTask(url), target, { idleTimeoutMs: 200, clock, onProgress: progress.onProgress });
    // Every byte the server sent has arrived and it has gone silent: 199 ms of silence is not
    // enough, 200 ms is.
    await progress.atLeast(512 * 1024);
    await clock.advance(199);
    expect(requests).toHaveLength(1);
    await clock.advance(1);
    const result = await done;
    expect(result.resumes).toBe(1);
    expect((await readFile(target)).equals(PAYLOAD)).toBe(true);
    expect(requests).toHaveLength(2);
    expect(requests[1]?.range).toMatch(/^bytes=[1-9]\d*-$/);
  });

  it("retries a request that never gets an answer (idleTimeoutMs)", async () => {
    const { url, requests, received, connectionClosed } = await serve(PAYLOAD, { silentOn: [0] });
    const target = join(dir, "silent.mp4");
    const clock = new FakeClock();
    const done = download(completedTask(url), target, { idleTimeoutMs: 200, clock });
    await received(1);
    await clock.advance(200);
    const result = await done;
    await connectionClosed(0); // the silent attempt's connection was given up
    expect(result.resumes).toBe(1);
    expect((await readFile(target)).equals(PAYLOAD)).toBe(true);
    expect(requests).toHaveLength(2);
  });

  it("does not count a slow destination as a silent connection", async () => {
    const { url, requests } = await serve(PAYLOAD);
    const clock = new FakeClock();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let writes = 0;
    let firstWrite: () => void = () => {};
    const writing = new Promise<void>((resolve) => {
      firstWrite = resolve;
    });
    // The destination holds its first write until the test lets go.
    const slow = new WritableStream<Uint8Array>({
      async write() {
        writes += 1;
        if (writes === 1) {
          firstWrite();
          await held;
        }
      },
    });
    const done = download(completedTask(url), slow, { idleTimeoutMs: 100, clock });
    await writing;
    // While the download waits on the destination, its idle timer is cleared, so any amount of
    // time may pass without the connection counting as silent.
    await vi.waitFor(() => expect(clock.pendingTimers()).toBe(0), { timeout: 15_000, interval: 5 });
    await clock.advance(10_000);
    expect(requests).toHaveLength(1);
    release();
    const result = await done;
    expect(result.resumes).toBe(0);
    expect(result.bytes).toBe(PAYLOAD.length);
    expect(requests).toHaveLength(1);
  });

  it("resumes several drops within maxRetries and gives up past it", async () => {
    const first = progressTracker();
    const { url } = await serve(PAYLOAD, {
      dropAfter: { bytes: 512 * 1024, onRequests: [0, 1, 2], until: first.holdsPartOf },
    });
    const ok = await download(url, join(dir, "a.mp4"), { maxRetries: 3, onProgress: first.onProgress });
    expect(ok.resumes).toBe(3);
    expect((await readFile(join(dir, "a.mp4"))).equals(PAYLOAD)).toBe(true);
    await server?.close();

    const second = progressTracker();
    const { url: url2 } = await serve(PAYLOAD, {
      dropAfter: { bytes: 512 * 1024, onRequests: [0, 1, 2], until: second.holdsPartOf },
    });
    const error = await download(url2, join(dir, "b.mp4"), { maxRetries: 1, onProgress: second.onProgress }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).message).toMatch(/could not be resumed/);
    expect((error as DownloadError).bytesReceived).toBeGreaterThan(0);
    expect((error as DownloadError).expectedBytes).toBe(PAYLOAD.length);
    expect(await readdir(dir)).toEqual(["a.mp4"]);
  });

  it("starts the file over cleanly when the server ignores Range and sends 200", async () => {
    const progress = progressTracker();
    const { url, requests } = await serve(PAYLOAD, {
      honourRange: false,
      dropAfter: { bytes: 1024 * 1024, onRequests: [0], until: progress.holdsPartOf },
    });
    const target = join(dir, "restarted.mp4");
    const seen: number[] = [];

    const result = await download(url, target, {
      onProgress: (p) => {
        progress.onProgress(p);
        seen.push(p.receivedBytes);
      },
    });

    expect(requests[1]?.range).toMatch(/^bytes=\d+-$/);
    expect(result.bytes).toBe(PAYLOAD.length);
    expect((await readFile(target)).equals(PAYLOAD)).toBe(true);
    expect(await readdir(dir)).toEqual(["restarted.mp4"]);
    expect(seen).toContain(0); // the documented drop back to 0 on a restart
    expect(seen.at(-1)).toBe(PAYLOAD.length);
  });

  it("a length-less download cut after its last byte finishes on the 416 that says so", async () => {
    // A scripted fetch, so the cut comes exactly after the last byte was read: over a real socket
    // an errored body stream may discard bytes the reader had not pulled yet.
    const requests: Array<string | null> = [];
    const fetchScript: typeof fetch = async (_input, init) => {
      requests.push(new Headers(init?.headers).get("range"));
      if (requests.length === 1) {
        let sent = false;
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent) {
              controller.error(new TypeError("terminated"));
              return;
            }
            sent = true;
            controller.enqueue(new Uint8Array(PAYLOAD));
          },
        });
        return new Response(body, { status: 200, headers: { "Content-Type": "video/mp4" } });
      }
      return new Response(null, { status: 416, headers: { "Content-Range": `bytes */${PAYLOAD.length}` } });
    };
    const target = join(dir, "whole.mp4");
    const result = await download("https://results.example.test/whole.mp4", target, { fetch: fetchScript });
    expect(requests).toEqual([null, `bytes=${PAYLOAD.length}-`]);
    expect(result.bytes).toBe(PAYLOAD.length);
    expect((await readFile(target)).equals(PAYLOAD)).toBe(true);
  });

  it("starts over when the result changed between attempts (ETag differs on the 206)", async () => {
    const other = makePayload(PAYLOAD.length + 999).subarray(999);
    const progress = progressTracker();
    server = await startResultServer((req, res, i) => {
      if (i === 0) {
        serveBytes(PAYLOAD, {
          headers: { ETag: '"v1"' },
          dropAfter: { bytes: 600 * 1024, onRequests: [0], until: progress.holdsPartOf },
        })(req, res, 0);
        return;
      }
      serveBytes(other, { headers: { ETag: '"v2"' } })(req, res, i);
    });
    const target = join(dir, "changed.mp4");
    const result = await download(server.url, target, { onProgress: progress.onProgress });
    expect(server.requests.map((h) => h.range)).toEqual([undefined, expect.stringMatching(/^bytes=\d+-$/), undefined]);
    expect(result.resumes).toBe(2);
    expect((await readFile(target)).equals(other)).toBe(true);
  });

  it.each([403, 404, 410])(
    "HTTP %i → ResultExpiredError saying the link expired and the task's age",
    async (status) => {
      server = await startResultServer((_req, res) => {
        res.statusCode = status;
        res.end("<Error><Code>AccessDenied</Code></Error>");
      });
      const target = join(dir, "expired.mp4");
      const error = await download(completedTask(server.url, 25 * HOUR_MS), target).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ResultExpiredError);
      const expired = error as ResultExpiredError;
      expect(expired.status).toBe(status);
      expect(expired.taskId).toBe("task-unified-1756817821-4x3rx6ny");
      expect(expired.message).toMatch(/expired/);
      expect(expired.message).toMatch(/24 hours/);
      expect(expired.message).toMatch(/created 25\.0 hours ago/);
      expect(expired.taskAgeMs).toBeGreaterThanOrEqual(25 * HOUR_MS - 2000);
      expect(await readdir(dir)).toEqual([]);
    },
  );

  it("HTTP 404 for a bare URL still explains the expiry, without an age", async () => {
    server = await startResultServer((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    const error = await download(server.url, join(dir, "x.mp4")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResultExpiredError);
    expect((error as ResultExpiredError).message).toMatch(/expired/);
    expect((error as ResultExpiredError).taskAgeMs).toBeUndefined();
  });

  it("HTTP 500 → DownloadError with the status, and no file", async () => {
    server = await startResultServer((_req, res) => {
      res.statusCode = 500;
      res.end("boom");
    });
    const error = await download(completedTask(server.url), join(dir, "x.mp4")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).status).toBe(500);
    expect((error as DownloadError).message).toMatch(/HTTP 500/);
    expect(server.requests).toHaveLength(1); // HTTP errors are not retried
    expect(await readdir(dir)).toEqual([]);
  });

  it.each([0, 3])(
    "a body shorter than Content-Length, then the server closes (maxRetries %i) → DownloadError; no final or temp file",
    async (maxRetries) => {
      // Every response announces the full remaining length but sends only half of it, then ends the connection.
      server = await startResultServer((req, res) => {
        const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? "")?.[1] ?? 0);
        const rest = PAYLOAD.subarray(start);
        res.writeHead(start > 0 ? 206 : 200, {
          "Content-Length": String(rest.length),
          ...(start > 0 ? { "Content-Range": `bytes ${start}-${PAYLOAD.length - 1}/${PAYLOAD.length}` } : {}),
        });
        res.write(rest.subarray(0, Math.floor(rest.length / 2)), () => res.socket?.end());
      });
      const error = await download(server.url, join(dir, "short.mp4"), { maxRetries }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DownloadError);
      expect((error as DownloadError).message).toMatch(/broke off after \d+ of \d+ bytes/);
      expect((error as DownloadError).expectedBytes).toBe(PAYLOAD.length);
      expect((error as DownloadError).bytesReceived).toBeLessThan(PAYLOAD.length);
      expect(server.requests).toHaveLength(maxRetries + 1);
      expect(await readdir(dir)).toEqual([]);
    },
  );

  it("a body that ends cleanly short of Content-Length → DownloadError (mismatch); no final or temp file", async () => {
    const { url } = await serve(PAYLOAD);
    // A fetch that reports a larger Content-Length than the body it delivers, then ends cleanly.
    const lyingFetch: typeof fetch = async (input, init) => {
      const real = await fetch(input, init);
      const headers = new Headers(real.headers);
      headers.set("content-length", String(PAYLOAD.length + 1000));
      return new Response(real.body, { status: real.status, headers });
    };
    const error = await download(url, join(dir, "mismatch.mp4"), { fetch: lyingFetch }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).message).toMatch(/Content-Length mismatch/);
    expect((error as DownloadError).bytesReceived).toBe(PAYLOAD.length);
    expect((error as DownloadError).expectedBytes).toBe(PAYLOAD.length + 1000);
    expect(await readdir(dir)).toEqual([]);
  });

  it("abort while the server stalls mid-body → RequestAbortedError; connection closed, no timer, no file", async () => {
    // Sends 1 MiB of the announced size, then stalls forever.
    server = await startResultServer((_req, res) => {
      res.writeHead(200, { "Content-Length": String(PAYLOAD.length) });
      res.write(PAYLOAD.subarray(0, 1024 * 1024));
    });
    // A fake clock that never moves: the idle timeout cannot be what ends the download.
    const clock = new FakeClock();
    const progress = progressTracker();
    const controller = new AbortController();
    const done = download(server.url, join(dir, "aborted.mp4"), {
      signal: controller.signal,
      clock,
      onProgress: progress.onProgress,
    }).catch((e: unknown) => e);
    await progress.atLeast(1024 * 1024);
    controller.abort(new Error("user pressed Ctrl-C"));
    const error = await done;

    expect(error).toBeInstanceOf(RequestAbortedError);
    expect((error as RequestAbortedError).cause).toEqual(new Error("user pressed Ctrl-C"));
    // The download's own idle timer is cleared, and the connection is released.
    expect(clock.pendingTimers()).toBe(0);
    await server.connectionClosed(0);
    expect(server.requests).toHaveLength(1);
    expect(await readdir(dir)).toEqual([]);
  });

  it("abort while waiting to resume stops at once: the wait's timer is cleared and nothing more is sent", async () => {
    let calls = 0;
    const controller = new AbortController();
    const failingFetch: typeof fetch = async () => {
      calls += 1;
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }) });
    };
    const clock = new FakeClock();
    const idleTimeoutMs = 60_000;
    // The second failure is followed by a backoff wait (the first resume is immediate).
    const resumeWait = new Promise<number>((resolve) => {
      const schedule = clock.setTimeout;
      clock.setTimeout = (callback, ms) => {
        if (ms !== idleTimeoutMs) resolve(ms);
        return schedule(callback, ms);
      };
    });
    const done = download("https://results.example.test/x.mp4", join(dir, "x.mp4"), {
      fetch: failingFetch,
      signal: controller.signal,
      maxRetries: 10,
      clock,
      idleTimeoutMs,
    }).catch((e: unknown) => e);
    const waitMs = await resumeWait;
    expect(waitMs).toBeGreaterThanOrEqual(125);
    expect(calls).toBe(2);
    controller.abort();

    const error = await done;
    expect(error).toBeInstanceOf(RequestAbortedError);
    // The resume wait's timer (and the idle timer) are gone: nothing keeps the process alive.
    expect(clock.pendingTimers()).toBe(0);
    await clock.advance(10 * 60_000);
    expect(calls).toBe(2);
    expect(await readdir(dir)).toEqual([]);
  });

  it("an already-aborted signal rejects before anything is sent or created", async () => {
    const { url, requests } = await serve(PAYLOAD);
    const error = await download(url, join(dir, "x.mp4"), { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(requests).toHaveLength(0);
    expect(await readdir(dir)).toEqual([]);
  });

  it("a host that resets every connection → APIConnectionError after the retries", async () => {
    server = await startResultServer((req) => req.socket.destroy());
    const error = await download(server.url, join(dir, "x.mp4"), { maxRetries: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(server.requests).toHaveLength(2);
    expect(await readdir(dir)).toEqual([]);
  });

  it("a host name that does not resolve → APIConnectionError after the retries", async () => {
    const looked: string[] = [];
    const error = await downloadResult("https://results.invalid/x.mp4", join(dir, "x.mp4"), {
      maxRetries: 1,
      lookup: async (hostname) => {
        looked.push(hostname);
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(looked).toEqual(["results.invalid", "results.invalid"]);
    expect(await readdir(dir)).toEqual([]);
  });

  it("replaces an existing file only when the new download is complete", async () => {
    const target = join(dir, "keep.mp4");
    const { writeFile } = await import("node:fs/promises");
    await writeFile(target, "previous version");
    server = await startResultServer((_req, res) => {
      res.statusCode = 500;
      res.end();
    });
    await expect(download(server.url, target)).rejects.toBeInstanceOf(DownloadError);
    expect(await readFile(target, "utf8")).toBe("previous version");
    await server.close();

    const { url } = await serve(PAYLOAD);
    await download(url, target);
    expect((await readFile(target)).equals(PAYLOAD)).toBe(true);
    expect(await readdir(dir)).toEqual(["keep.mp4"]);
  });

  it("refuses a task that has no results or is not completed, without sending anything", async () => {
    const { url, requests } = await serve(PAYLOAD);
    const noResults = { ...completedTask(url), results: [] };
    const running: Task = { ...completedTask(url), status: "processing", results: undefined };

    const a = await download(noResults, join(dir, "x.mp4")).catch((e: unknown) => e);
    expect(a).toBeInstanceOf(ValidationError);
    expect((a as ValidationError).field).toBe("results");
    expect((a as ValidationError).taskId).toBe("task-unified-1756817821-4x3rx6ny");

    const b = await download(running, join(dir, "x.mp4")).catch((e: unknown) => e);
    expect(b).toBeInstanceOf(ValidationError);
    expect((b as ValidationError).field).toBe("status");

    const c = await download(completedTask(url), join(dir, "x.mp4"), { index: 1 }).catch((e: unknown) => e);
    expect(c).toBeInstanceOf(ValidationError);
    expect((c as ValidationError).field).toBe("index");

    const d = await download(completedTask(url), join(dir, "missing-folder", "x.mp4")).catch((e: unknown) => e);
    expect(d).toBeInstanceOf(ValidationError);
    expect((d as ValidationError).field).toBe("destination");

    const e = await download(completedTask(url), dir).catch((e: unknown) => e);
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).field).toBe("destination");

    expect(requests).toHaveLength(0);
    expect(await readdir(dir)).toEqual([]);
  });

  it("downloads results[index]", async () => {
    const { url, requests } = await serve(PAYLOAD);
    const task = { ...completedTask(url), results: [`${url}?first`, `${url}?second`] };
    const result = await download(task, join(dir, "second.mp4"), { index: 1 });
    expect(result.url).toBe(`${url}?second`);
    expect(requests).toHaveLength(1);
  });

  it("also accepts a WritableStream", async () => {
    const { url } = await serve(PAYLOAD);
    const chunks: Uint8Array[] = [];
    const stream = new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(chunk) });
    const result = await download(url, stream);
    expect(result.destination).toBe(stream);
    expect(Buffer.concat(chunks).equals(PAYLOAD)).toBe(true);
  });
});
