import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { UploadOptions } from "@videoretalk/core";
import { ValidationError } from "@videoretalk/core";
import { FakeClock, SignallingClock } from "@videoretalk/test-support";
import { describe, expect, it } from "vitest";
import { BodyTimeoutError, deadlineBody } from "../src/body-deadline.js";
import {
  createProxyHandler,
  DEFAULT_UPLOAD_BODY_TIMEOUT_MS,
  DEFAULT_UPLOAD_IDLE_TIMEOUT_MS,
  DEFAULT_UPLOAD_MAX_BYTES,
  type ProxyHandlerOptions,
} from "../src/index.js";
import { DEFAULT_BODY_TIMEOUT_MS, toNodeHandler } from "../src/node.js";
import { serve } from "./support/serve.js";
import { mp4Bytes, uploadFixture } from "./support/upload-fixture.js";

// The upload route's own body deadlines (a total and a limit on silence), in place of the node
// adapter's 30 s meant for JSON bodies. The adapter and the proxy run on one fake clock; the
// test moves it only once the route is waiting for the client's next bytes (an idle timer was
// set), so no verdict depends on how fast the machine is.
const BASE = "/api/videoretalk";
const BOUNDARY = "----deadline0123456789";
const CHUNK = 16 * 1024;

const { files, servers } = uploadFixture();

async function served(clock: FakeClock, overrides: Partial<ProxyHandlerOptions> = {}) {
  const handler = createProxyHandler({
    authorize: () => true,
    apiKey: "sk-test-UPLOADKEY-0123456789abcdef",
    filesBaseUrl: files.url,
    basePath: BASE,
    uploads: true,
    clock,
    onError: () => {},
    ...overrides,
  });
  // The adapter keeps its default 30 s body deadline, on the same clock.
  const app = await serve(toNodeHandler(handler, { clock }));
  servers.push(app);
  return app;
}

/** A browser upload the test feeds chunk by chunk (chunked encoding, no Content-Length). */
function openUpload(port: number) {
  const req = httpRequest({
    host: "127.0.0.1",
    port,
    method: "POST",
    path: `${BASE}/v1/files/upload`,
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}`, "transfer-encoding": "chunked" },
    agent: false,
  });
  let answered = false;
  const response = new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => {
        answered = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on("error", reject);
  });
  req.write(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="slow.mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
  );
  return {
    send: (bytes: Buffer) => req.write(bytes),
    finish: () => req.end(`\r\n--${BOUNDARY}--\r\n`),
    response,
    answered: () => answered,
    abandon: () => req.destroy(),
  };
}

/** Resolves once the route waits for more bytes after this call (it set a fresh idle timer). */
function routeWaitsForBytes(clock: SignallingClock, idleMs = DEFAULT_UPLOAD_IDLE_TIMEOUT_MS): Promise<number> {
  return clock.timerSet((ms) => ms === idleMs);
}

describe("upload route body deadlines: defaults and options", () => {
  it("gives 100 MB at 0.5 Mbit/s time to arrive, and 60 s of silence", () => {
    const secondsAtHalfMbit = (DEFAULT_UPLOAD_MAX_BYTES * 8) / 500_000;
    expect(DEFAULT_UPLOAD_BODY_TIMEOUT_MS).toBeGreaterThan(secondsAtHalfMbit * 1000);
    expect(DEFAULT_UPLOAD_BODY_TIMEOUT_MS).toBeGreaterThan(DEFAULT_BODY_TIMEOUT_MS);
    expect(DEFAULT_UPLOAD_IDLE_TIMEOUT_MS).toBe(60_000);
  });

  it("refuses a non-positive or non-finite deadline, naming the option", () => {
    const fieldOf = (uploads: ProxyHandlerOptions["uploads"]) => {
      try {
        createProxyHandler({ authorize: () => true, apiKey: "sk-test-0123456789", uploads });
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).field;
      }
      return "no error";
    };
    expect(fieldOf({ bodyTimeoutMs: 0 })).toBe("uploads.bodyTimeoutMs");
    expect(fieldOf({ bodyTimeoutMs: Number.POSITIVE_INFINITY })).toBe("uploads.bodyTimeoutMs");
    expect(fieldOf({ bodyIdleTimeoutMs: -1 })).toBe("uploads.bodyIdleTimeoutMs");
    expect(fieldOf({ bodyTimeoutMs: 5 * 60_000, bodyIdleTimeoutMs: 10_000 })).toBe("no error");
  });

  it("lets the upstream upload last as long as the body may (core's own upload timeout is 10 min)", async () => {
    let seen: UploadOptions | undefined;
    const handler = createProxyHandler({
      authorize: () => true,
      basePath: BASE,
      uploads: { bodyTimeoutMs: 45 * 60_000 },
      client: {
        lipSync: { create: async () => ({}) as never },
        tasks: { get: async () => ({}) as never },
        files: {
          upload: async (input, options) => {
            seen = options;
            await new Response(input as ReadableStream).arrayBuffer();
            return "https://files.example/f1";
          },
        },
      },
    });
    const body = new FormData();
    body.append("file", new File([mp4Bytes(1024) as BlobPart], "a.mp4", { type: "video/mp4" }));
    const response = await handler(new Request(`http://app.test${BASE}/v1/files/upload`, { method: "POST", body }));
    expect(response.status).toBe(200);
    expect(seen?.timeoutMs).toBeGreaterThanOrEqual(45 * 60_000);
  });
});

describe("upload route body deadlines through toNodeHandler", () => {
  it("a slow upload that keeps sending outlives the adapter's 30 s and arrives whole", async () => {
    const clock = new SignallingClock();
    const app = await served(clock);
    const file = mp4Bytes(4 * CHUNK);
    const started = clock.now();
    const upload = openUpload(app.port);
    let waiting = routeWaitsForBytes(clock);
    upload.send(file.subarray(0, CHUNK));
    for (let i = 1; i < 4; i++) {
      await waiting;
      // 50 s of silence each time: under the 60 s idle limit, past the adapter's 30 s in total.
      await clock.advance(50_000);
      waiting = routeWaitsForBytes(clock);
      upload.send(file.subarray(i * CHUNK, (i + 1) * CHUNK));
    }
    await waiting;
    upload.finish();
    const response = await upload.response;

    expect(clock.now() - started).toBe(150_000);
    expect(response.status, response.body).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ file_url: expect.stringMatching(/\/files\/upload-1$/) });
    expect(files.uploads).toHaveLength(1);
    expect(files.uploads[0]?.body.includes(file)).toBe(true);
  });

  it("an upload silent for 60 s is answered 408 at exactly 60 s, and the connection closed", async () => {
    const clock = new SignallingClock();
    const app = await served(clock);
    const upload = openUpload(app.port);
    const waiting = routeWaitsForBytes(clock);
    upload.send(mp4Bytes(CHUNK));
    await waiting;

    await clock.advance(DEFAULT_UPLOAD_IDLE_TIMEOUT_MS - 1);
    expect(upload.answered()).toBe(false);
    await clock.advance(1);
    const response = await upload.response;
    upload.abandon();

    expect(response.status).toBe(408);
    expect(response.headers.connection).toBe("close");
    expect(JSON.parse(response.body).error).toMatchObject({ code: "request_timeout", param: "file" });
    expect(files.uploads).toHaveLength(0);
  });

  it("a trickle that is never silent for long still ends at uploads.bodyTimeoutMs", async () => {
    const clock = new SignallingClock();
    const app = await served(clock, { uploads: { bodyTimeoutMs: 120_000 } });
    const file = mp4Bytes(3 * CHUNK);
    const upload = openUpload(app.port);
    let waiting = routeWaitsForBytes(clock);
    upload.send(file.subarray(0, CHUNK));
    for (let i = 1; i < 3; i++) {
      await waiting;
      await clock.advance(50_000);
      waiting = routeWaitsForBytes(clock);
      upload.send(file.subarray(i * CHUNK, (i + 1) * CHUNK));
    }
    await waiting;
    await clock.advance(19_999);
    expect(upload.answered()).toBe(false);
    await clock.advance(1);
    const response = await upload.response;
    upload.abandon();

    expect(response.status).toBe(408);
    expect(JSON.parse(response.body).error.code).toBe("request_timeout");
    expect(files.uploads).toHaveLength(0);
  });

  it("other routes keep the adapter's 30 s deadline", async () => {
    const clock = new SignallingClock();
    const app = await served(clock);
    const req = httpRequest({
      host: "127.0.0.1",
      port: app.port,
      method: "POST",
      path: `${BASE}/v1/videos/generations`,
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
      agent: false,
    });
    const response = new Promise<number>((resolve, reject) => {
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
    });
    const deadlineSet = clock.timerSet((ms) => ms === DEFAULT_BODY_TIMEOUT_MS);
    req.write('{"video_url":');
    await deadlineSet;
    await clock.advance(DEFAULT_BODY_TIMEOUT_MS);
    expect(await response).toBe(408);
    req.destroy();
  });
});

describe("deadlineBody", () => {
  /** A source that always has a chunk ready, counting reads; records its cancellation. */
  function endlessSource() {
    const state = { pulls: 0, cancelled: undefined as unknown };
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        state.pulls++;
        controller.enqueue(new Uint8Array([state.pulls]));
      },
      cancel(reason) {
        state.cancelled = reason;
      },
    });
    return { stream, state };
  }

  it("time the consumer spends away (upstream backpressure) is not client silence", async () => {
    const clock = new FakeClock();
    const { stream } = endlessSource();
    const reader = deadlineBody(stream, { idleTimeoutMs: 1_000, totalTimeoutMs: 3_600_000, clock }).getReader();
    expect((await reader.read()).value).toEqual(new Uint8Array([1]));
    // Nothing is waiting on the client now: only the total deadline is pending.
    expect(clock.pendingTimers()).toBe(1);
    await clock.advance(10 * 60_000);
    expect((await reader.read()).value).toEqual(new Uint8Array([2]));
  });

  it("a read that waits past the idle limit fails with BodyTimeoutError and cancels the source", async () => {
    const clock = new FakeClock();
    const state = { cancelled: undefined as unknown };
    const silent = new ReadableStream<Uint8Array>({
      cancel(reason) {
        state.cancelled = reason;
      },
    });
    const reader = deadlineBody(silent, { idleTimeoutMs: 1_000, totalTimeoutMs: 3_600_000, clock }).getReader();
    const read = reader.read();
    read.catch(() => {});
    await clock.advance(999);
    expect(state.cancelled).toBeUndefined();
    await clock.advance(1);
    await expect(read).rejects.toMatchObject({ name: "BodyTimeoutError", kind: "idle" });
    expect(state.cancelled).toBeInstanceOf(BodyTimeoutError);
    expect(clock.pendingTimers()).toBe(0);
  });

  it("a body read to its end leaves no timer behind", async () => {
    const clock = new FakeClock();
    const done = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([7]));
        controller.close();
      },
    });
    const body = deadlineBody(done, { idleTimeoutMs: 1_000, totalTimeoutMs: 5_000, clock });
    expect(new Uint8Array(await new Response(body).arrayBuffer())).toEqual(new Uint8Array([7]));
    expect(clock.pendingTimers()).toBe(0);
  });
});
