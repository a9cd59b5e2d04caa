import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APIConnectionError, RequestAbortedError, type Task, ValidationError } from "@videoretalk/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { downloadResult } from "../../src/download/download-result.node.js";
import { DownloadError, ResultExpiredError } from "../../src/errors.js";
import { makePayload, type ResultServer, serveBytes, startResultServer } from "./result-server.js";

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

    const result = await downloadResult(completedTask(url), target, { onProgress: (p) => seen.push(p) });

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
    await downloadResult(url, join(dir, "out.mp4"));
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

    const result = await downloadResult(url, target, { onProgress: (p) => seen.push(p) });

    expect(result.bytes).toBe(PAYLOAD.length);
    expect((await readFile(target)).equals(PAYLOAD)).toBe(true);
    expect(seen.every((p) => p.totalBytes === undefined)).toBe(true);
    expect(seen.at(-1)?.receivedBytes).toBe(PAYLOAD.length);
  });

  it("resumes with Range after the server drops the connection mid-body, and accepts the 206", async () => {
    const { url, requests } = await serve(PAYLOAD, { dropAfter: { bytes: 1024 * 1024, onRequests: [0] } });
    const target = join(dir, "resumed.mp4");
    const seen: number[] = [];

    const result = await downloadResult(completedTask(url), target, {
      onProgress: (p) => seen.push(p.receivedBytes),
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
    const result = await downloadResult(completedTask(url), target, { idleTimeoutMs: 200 });
    expect(result.resumes).toBe(1);
    expect((await readFile(target)).equals(PAYLOAD)).toBe(true);
    expect(requests).toHaveLength(2);
    expect(requests[1]?.range).toMatch(/^bytes=[1-9]\d*-$/);
  });

  it("retries a request that never gets an answer (idleTimeoutMs)", async () => {
    const { url, requests } = await serve(PAYLOAD, { silentOn: [0] });
    const target = join(dir, "silent.mp4");
    const result = await downloadResult(completedTask(url), target, { idleTimeoutMs: 200 });
    expect(result.resumes).toBe(1);
    expect((await readFile(target)).equals(PAYLOAD)).toBe(true);
    expect(requests).toHaveLength(2);
  });

  it("does not count a slow destination as a silent connection", async () => {
    const { url } = await serve(PAYLOAD);
    const chunks: number[] = [];
    const slow = new WritableStream<Uint8Array>({
      async write(chunk) {
        chunks.push(chunk.byteLength);
        if (chunks.length <= 3) await new Promise((resolve) => setTimeout(resolve, 120));
      },
    });
    const result = await downloadResult(completedTask(url), slow, { idleTimeoutMs: 100 });
    expect(result.resumes).toBe(0);
    expect(result.bytes).toBe(PAYLOAD.length);
  });

  it("resumes several drops within maxRetries and gives up past it", async () => {
    const { url } = await serve(PAYLOAD, { dropAfter: { bytes: 512 * 1024, onRequests: [0, 1, 2] } });
    const ok = await downloadResult(url, join(dir, "a.mp4"), { maxRetries: 3 });
    expect(ok.resumes).toBe(3);
    expect((await readFile(join(dir, "a.mp4"))).equals(PAYLOAD)).toBe(true);
    await server?.close();

    const { url: url2 } = await serve(PAYLOAD, { dropAfter: { bytes: 512 * 1024, onRequests: [0, 1, 2] } });
    const error = await downloadResult(url2, join(dir, "b.mp4"), { maxRetries: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).message).toMatch(/could not be resumed/);
    expect((error as DownloadError).bytesReceived).toBeGreaterThan(0);
    expect((error as DownloadError).expectedBytes).toBe(PAYLOAD.length);
    expect(await readdir(dir)).toEqual(["a.mp4"]);
  });

  it("starts the file over cleanly when the server ignores Range and sends 200", async () => {
    const { url, requests } = await serve(PAYLOAD, {
      honourRange: false,
      dropAfter: { bytes: 1024 * 1024, onRequests: [0] },
    });
    const target = join(dir, "restarted.mp4");
    const seen: number[] = [];

    const result = await downloadResult(url, target, { onProgress: (p) => seen.push(p.receivedBytes) });

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
    const result = await downloadResult("https://results.example.test/whole.mp4", target, { fetch: fetchScript });
    expect(requests).toEqual([null, `bytes=${PAYLOAD.length}-`]);
    expect(result.bytes).toBe(PAYLOAD.length);
    expect((await readFile(target)).equals(PAYLOAD)).toBe(true);
  });

  it("starts over when the result changed between attempts (ETag differs on the 206)", async () => {
    const other = makePayload(PAYLOAD.length + 999).subarray(999);
    server = await startResultServer((req, res, i) => {
      if (i === 0) {
        serveBytes(PAYLOAD, { headers: { ETag: '"v1"' }, dropAfter: { bytes: 600 * 1024, onRequests: [0] } })(
          req,
          res,
          0,
        );
        return;
      }
      serveBytes(other, { headers: { ETag: '"v2"' } })(req, res, i);
    });
    const target = join(dir, "changed.mp4");
    const result = await downloadResult(server.url, target);
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
      const error = await downloadResult(completedTask(server.url, 25 * HOUR_MS), target).catch((e: unknown) => e);

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
    const error = await downloadResult(server.url, join(dir, "x.mp4")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResultExpiredError);
    expect((error as ResultExpiredError).message).toMatch(/expired/);
    expect((error as ResultExpiredError).taskAgeMs).toBeUndefined();
  });

  it("HTTP 500 → DownloadError with the status, and no file", async () => {
    server = await startResultServer((_req, res) => {
      res.statusCode = 500;
      res.end("boom");
    });
    const error = await downloadResult(completedTask(server.url), join(dir, "x.mp4")).catch((e: unknown) => e);
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
      const error = await downloadResult(server.url, join(dir, "short.mp4"), { maxRetries }).catch((e: unknown) => e);
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
    const error = await downloadResult(url, join(dir, "mismatch.mp4"), { fetch: lyingFetch }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).message).toMatch(/Content-Length mismatch/);
    expect((error as DownloadError).bytesReceived).toBe(PAYLOAD.length);
    expect((error as DownloadError).expectedBytes).toBe(PAYLOAD.length + 1000);
    expect(await readdir(dir)).toEqual([]);
  });

  it("abort mid-download → RequestAbortedError at once; no final or temp file", async () => {
    // Sends 1 MiB, then stalls forever.
    server = await startResultServer((_req, res) => {
      res.writeHead(200, { "Content-Length": String(PAYLOAD.length) });
      res.write(PAYLOAD.subarray(0, 1024 * 1024));
    });
    const controller = new AbortController();
    let abortedAt = 0;
    const error = await downloadResult(server.url, join(dir, "aborted.mp4"), {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.receivedBytes >= 512 * 1024 && !controller.signal.aborted) {
          setTimeout(() => {
            abortedAt = performance.now();
            controller.abort(new Error("user pressed Ctrl-C"));
          }, 30);
        }
      },
    }).catch((e: unknown) => e);
    const elapsed = performance.now() - abortedAt;

    expect(error).toBeInstanceOf(RequestAbortedError);
    expect((error as RequestAbortedError).cause).toEqual(new Error("user pressed Ctrl-C"));
    expect(elapsed).toBeLessThan(500);
    expect(await readdir(dir)).toEqual([]);
  });

  it("abort while waiting to resume stops at once", async () => {
    let calls = 0;
    const controller = new AbortController();
    const failingFetch: typeof fetch = async () => {
      calls += 1;
      if (calls === 2) setTimeout(() => controller.abort(), 10);
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }) });
    };
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
    const timersBefore = timers();
    const started = performance.now();
    const error = await downloadResult("http://127.0.0.1:9/x.mp4", join(dir, "x.mp4"), {
      fetch: failingFetch,
      signal: controller.signal,
      maxRetries: 10,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(calls).toBe(2);
    // The resume wait's timer is gone: nothing keeps the process alive after an abort.
    expect(timers()).toBe(timersBefore);
    expect(performance.now() - started).toBeLessThan(200); // the second wait is ≥ 125 ms
    expect(await readdir(dir)).toEqual([]);
  });

  it("an already-aborted signal rejects before anything is sent or created", async () => {
    const { url, requests } = await serve(PAYLOAD);
    const error = await downloadResult(url, join(dir, "x.mp4"), { signal: AbortSignal.abort() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(requests).toHaveLength(0);
    expect(await readdir(dir)).toEqual([]);
  });

  it("an unreachable host → APIConnectionError after the retries", async () => {
    const probe = await startResultServer((_req, res) => res.end());
    const deadUrl = probe.url;
    await probe.close(); // nothing listens on that port any more
    const error = await downloadResult(deadUrl, join(dir, "x.mp4"), { maxRetries: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
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
    await expect(downloadResult(server.url, target)).rejects.toBeInstanceOf(DownloadError);
    expect(await readFile(target, "utf8")).toBe("previous version");
    await server.close();

    const { url } = await serve(PAYLOAD);
    await downloadResult(url, target);
    expect((await readFile(target)).equals(PAYLOAD)).toBe(true);
    expect(await readdir(dir)).toEqual(["keep.mp4"]);
  });

  it("refuses a task that has no results or is not completed, without sending anything", async () => {
    const { url, requests } = await serve(PAYLOAD);
    const noResults = { ...completedTask(url), results: [] };
    const running: Task = { ...completedTask(url), status: "processing", results: undefined };

    const a = await downloadResult(noResults, join(dir, "x.mp4")).catch((e: unknown) => e);
    expect(a).toBeInstanceOf(ValidationError);
    expect((a as ValidationError).field).toBe("results");
    expect((a as ValidationError).taskId).toBe("task-unified-1756817821-4x3rx6ny");

    const b = await downloadResult(running, join(dir, "x.mp4")).catch((e: unknown) => e);
    expect(b).toBeInstanceOf(ValidationError);
    expect((b as ValidationError).field).toBe("status");

    const c = await downloadResult(completedTask(url), join(dir, "x.mp4"), { index: 1 }).catch((e: unknown) => e);
    expect(c).toBeInstanceOf(ValidationError);
    expect((c as ValidationError).field).toBe("index");

    const d = await downloadResult(completedTask(url), join(dir, "missing-folder", "x.mp4")).catch((e: unknown) => e);
    expect(d).toBeInstanceOf(ValidationError);
    expect((d as ValidationError).field).toBe("destination");

    const e = await downloadResult(completedTask(url), dir).catch((e: unknown) => e);
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).field).toBe("destination");

    expect(requests).toHaveLength(0);
    expect(await readdir(dir)).toEqual([]);
  });

  it("downloads results[index]", async () => {
    const { url, requests } = await serve(PAYLOAD);
    const task = { ...completedTask(url), results: [`${url}?first`, `${url}?second`] };
    const result = await downloadResult(task, join(dir, "second.mp4"), { index: 1 });
    expect(result.url).toBe(`${url}?second`);
    expect(requests).toHaveLength(1);
  });

  it("also accepts a WritableStream", async () => {
    const { url } = await serve(PAYLOAD);
    const chunks: Uint8Array[] = [];
    const stream = new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(chunk) });
    const result = await downloadResult(url, stream);
    expect(result.destination).toBe(stream);
    expect(Buffer.concat(chunks).equals(PAYLOAD)).toBe(true);
  });
});
