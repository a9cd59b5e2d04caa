import { request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createProxyHandler } from "../src/index.js";
import { DEFAULT_BODY_TIMEOUT_MS, type NodeRequest, toNodeHandler } from "../src/node.js";
import { type FakeApi, startFakeApi } from "./support/fake-api.js";
import { rawRequest, type Served, serve } from "./support/serve.js";

let api: FakeApi;
const servers: Served[] = [];
beforeAll(async () => {
  api = await startFakeApi();
});
afterAll(() => api.close());
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  api.received.length = 0;
});

async function start(handler: (request: Request) => Promise<Response>) {
  const served = await serve(toNodeHandler(handler));
  servers.push(served);
  return served;
}

function proxyApp(maxBodyBytes?: number) {
  return start(
    createProxyHandler({
      authorize: () => true,
      apiKey: "sk-test-node-adapter-0123456789",
      baseUrl: api.url,
      basePath: "/api/videoretalk",
      maxBodyBytes,
      onError: () => {},
    }),
  );
}

describe("toNodeHandler with node:http", () => {
  it("passes method, URL, headers and body to the handler and the response back", async () => {
    const seen: { method: string; url: string; header: string | null; body: string }[] = [];
    const app = await start(async (request) => {
      seen.push({
        method: request.method,
        url: request.url,
        header: request.headers.get("x-thing"),
        body: await request.text(),
      });
      const headers = new Headers({ "content-type": "text/plain", "x-out": "1" });
      headers.append("set-cookie", "a=1");
      headers.append("set-cookie", "b=2");
      return new Response("hello back", { status: 201, headers });
    });
    const response = await rawRequest(app.port, {
      method: "POST",
      path: "/some/path?q=1",
      headers: { "x-thing": "abc", host: "example.test" },
      chunks: ["hel", "lo"],
    });
    expect(seen).toEqual([{ method: "POST", url: "http://example.test/some/path?q=1", header: "abc", body: "hello" }]);
    expect(response.status).toBe(201);
    expect(response.body).toBe("hello back");
    expect(response.headers["x-out"]).toBe("1");
    expect(response.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
  });

  it("streams response bodies chunk by chunk", async () => {
    const app = await start(async () => {
      let n = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          n++;
          if (n > 50) return controller.close();
          controller.enqueue(new TextEncoder().encode(`${"x".repeat(64 * 1024 - 1)}\n`));
        },
      });
      return new Response(body, { headers: { "content-type": "text/plain" } });
    });
    const response = await rawRequest(app.port, { path: "/" });
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(50 * 64 * 1024);
  });

  it("HEAD gets headers only", async () => {
    const app = await start(async () => new Response("body", { headers: { "content-type": "text/plain" } }));
    const response = await rawRequest(app.port, { method: "HEAD", path: "/" });
    expect(response.status).toBe(200);
    expect(response.body).toBe("");
  });

  it("the handler's request.signal aborts when the client disconnects", async () => {
    let aborted: () => void = () => {};
    const abortedPromise = new Promise<void>((resolve) => {
      aborted = resolve;
    });
    let entered: () => void = () => {};
    const enteredPromise = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const app = await start(
      (request) =>
        new Promise<Response>((resolve) => {
          entered();
          request.signal.addEventListener("abort", () => {
            aborted();
            resolve(new Response(null, { status: 499 }));
          });
        }),
    );
    const req = httpRequest({ host: "127.0.0.1", port: app.port, path: "/", agent: false });
    req.on("error", () => {});
    req.end();
    await enteredPromise;
    req.destroy();
    await abortedPromise;
  });

  it("refuses raw dot segments and backslashes before URL parsing could resolve them", async () => {
    const handler = vi.fn(async () => new Response("reached"));
    const app = await start(handler);
    for (const path of [
      "/api/videoretalk/v1/tasks/../videos/generations",
      "/api/videoretalk/v1/x/../tasks/abc",
      "/api/videoretalk/v1/tasks/%2e%2e/videos/generations",
      "/api/videoretalk/v1/tasks/.%2E/x",
      "/api/videoretalk/./v1/tasks/abc",
      "/api/videoretalk/v1/tasks/a\\b",
      "http://evil.example/v1/tasks/abc",
    ]) {
      const response = await rawRequest(app.port, { path });
      expect(response.status, path).toBe(404);
      expect(JSON.parse(response.body).error.code).toBe("not_found");
    }
    expect(handler).not.toHaveBeenCalled();
  });

  it("proxy: 413 from Content-Length before the body is sent", async () => {
    const app = await proxyApp();
    const response = await rawRequest(app.port, {
      method: "POST",
      path: "/api/videoretalk/v1/videos/generations",
      headers: { "content-type": "application/json", "content-length": 50 * 1024 * 1024 },
      keepOpen: true,
    });
    expect(response.status).toBe(413);
    expect(response.headers.connection).toBe("close");
    expect(api.received).toHaveLength(0);
  });

  it("proxy: 413 once a chunked upload passes the cap, without reading the rest", async () => {
    // Observed on the server side: the client's view races the server's close (a write after
    // the close fails with EPIPE before the 413 is read), the server's own record does not.
    const proxy = toNodeHandler(
      createProxyHandler({
        authorize: () => true,
        apiKey: "sk-test-node-adapter-0123456789",
        baseUrl: api.url,
        basePath: "/api/videoretalk",
        maxBodyBytes: 1024,
        onError: () => {},
      }),
    );
    let answered: (record: { status: number; bytesRead: number }) => void = () => {};
    const answer = new Promise<{ status: number; bytesRead: number }>((resolve) => {
      answered = resolve;
    });
    const app = await serve((req, res) => {
      res.on("finish", () => answered({ status: res.statusCode, bytesRead: req.socket.bytesRead }));
      proxy(req, res);
    });
    servers.push(app);
    const req = httpRequest({
      host: "127.0.0.1",
      port: app.port,
      method: "POST",
      path: "/api/videoretalk/v1/videos/generations",
      headers: { "content-type": "application/json" },
      agent: false,
    });
    req.on("error", () => {}); // EPIPE/ECONNRESET once the server closed: expected.
    let stopped = false;
    void answer.then(() => {
      stopped = true;
    });
    // Keep uploading, one chunk after another, until the server answers; a server that drained
    // everything would read all 20 MiB.
    let written = 0;
    const writeNext = () => {
      if (stopped || req.destroyed || written >= 20 * 1024 * 1024) return;
      written += 64 * 1024;
      req.write(Buffer.alloc(64 * 1024, 32), () => setImmediate(writeNext));
    };
    writeNext();
    const { status, bytesRead } = await answer;
    req.destroy();
    expect(status).toBe(413);
    expect(bytesRead).toBeLessThan(20 * 1024 * 1024);
    expect(api.received).toHaveLength(0);
  });

  it("proxy: a normal create and get go through", async () => {
    const app = await proxyApp();
    const body = JSON.stringify({ video_url: "https://a.example/v.mp4", audio_url: "https://a.example/a.wav" });
    const created = await rawRequest(app.port, {
      method: "POST",
      path: "/api/videoretalk/v1/videos/generations",
      headers: { "content-type": "application/json" },
      chunks: [body.slice(0, 10), body.slice(10)],
    });
    expect(created.status).toBe(200);
    const read = await rawRequest(app.port, { path: "/api/videoretalk/v1/tasks/task-1" });
    expect(read.status).toBe(200);
    expect(api.received.map((r) => r.url)).toEqual(["/v1/videos/generations", "/v1/tasks/task-1"]);
  });
});

describe("toNodeHandler as Express middleware", () => {
  function fakeExpress(handler: ReturnType<typeof toNodeHandler>, mount: string, extra?: (req: NodeRequest) => void) {
    const next = vi.fn();
    return {
      next,
      app: (req: IncomingMessage, res: ServerResponse) => {
        const r = req as NodeRequest;
        r.originalUrl = req.url;
        // Express strips the mount path from req.url.
        if (req.url?.startsWith(mount)) req.url = req.url.slice(mount.length) || "/";
        extra?.(r);
        handler(r, res, next);
      },
    };
  }

  it("uses originalUrl, so basePath matches under app.use(mountPath, …)", async () => {
    const handler = toNodeHandler(
      createProxyHandler({
        authorize: () => true,
        apiKey: "sk-test-express-0123456789",
        baseUrl: api.url,
        basePath: "/api/videoretalk",
        onError: () => {},
      }),
    );
    const { app } = fakeExpress(handler, "/api/videoretalk");
    const served = await serve(app);
    servers.push(served);
    const response = await rawRequest(served.port, { path: "/api/videoretalk/v1/tasks/task-9" });
    expect(response.status).toBe(200);
    expect(api.received.map((r) => r.url)).toEqual(["/v1/tasks/task-9"]);
  });

  it("uses a body an Express parser already read", async () => {
    const bodies: string[] = [];
    const handler = toNodeHandler(async (request) => {
      bodies.push(await request.text());
      return new Response("ok");
    });
    const { app } = fakeExpress(handler, "", (req) => {
      req.resume();
      req.body = { parsed: true };
      (req as { _body?: boolean })._body = true;
    });
    const served = await serve(app);
    servers.push(served);
    const response = await rawRequest(served.port, {
      method: "POST",
      path: "/hook",
      headers: { "content-type": "application/json" },
      chunks: ['{"parsed":true}'],
    });
    expect(response.status).toBe(200);
    expect(bodies).toEqual(['{"parsed":true}']);
  });

  it("hands handler failures to next(), or answers 500 without details", async () => {
    const failing = toNodeHandler(async () => {
      throw new Error("secret internals");
    });
    const next = vi.fn();
    const served = await serve((req, res) => {
      // Express would answer through its error handler; `next` stands in for it, so the answer
      // is sent exactly when the adapter hands the error over (no timer involved).
      failing(req as NodeRequest, res, (error) => {
        next(error);
        if (!res.headersSent) res.writeHead(503).end();
      });
    });
    servers.push(served);
    expect((await rawRequest(served.port, { path: "/" })).status).toBe(503);
    expect(next).toHaveBeenCalledWith(expect.objectContaining({ message: "secret internals" }));

    const plain = await start(async () => {
      throw new Error("secret internals");
    });
    const response = await rawRequest(plain.port, { path: "/" });
    expect(response.status).toBe(500);
    expect(response.body).not.toContain("secret");
  });
});

describe("toNodeHandler survives handlers that break the contract (issue 8 item 7)", () => {
  it("a synchronous throw answers 500 and the server keeps serving", async () => {
    let calls = 0;
    const app = await start(((request: Request) => {
      calls++;
      if (new URL(request.url).pathname === "/boom") throw new Error("sync secret internals");
      return Promise.resolve(new Response("ok"));
    }) as (request: Request) => Promise<Response>);
    const boom = await rawRequest(app.port, { path: "/boom" });
    expect(boom.status).toBe(500);
    expect(boom.body).not.toContain("secret");
    const next = await rawRequest(app.port, { path: "/fine" });
    expect(next.status).toBe(200);
    expect(next.body).toBe("ok");
    expect(calls).toBe(2);
  });

  it("a Response returned without a promise is written as usual", async () => {
    const app = await start(
      (() => new Response("plain", { status: 201 })) as unknown as (request: Request) => Promise<Response>,
    );
    const response = await rawRequest(app.port, { path: "/" });
    expect(response.status).toBe(201);
    expect(response.body).toBe("plain");
  });

  it.each([
    ["undefined", undefined],
    ["a plain object", { status: 200 }],
    ["a string", "ok"],
  ])("a handler resolving to %s answers 500 and the server keeps serving", async (_, value) => {
    const app = await start((async (request: Request) =>
      new URL(request.url).pathname === "/bad" ? value : new Response("ok")) as unknown as (
      request: Request,
    ) => Promise<Response>);
    expect((await rawRequest(app.port, { path: "/bad" })).status).toBe(500);
    expect((await rawRequest(app.port, { path: "/good" })).status).toBe(200);
  });
});

describe("body-read deadline (issue 8 item 8)", () => {
  it("defaults to at most 30 s and refuses a non-positive value", () => {
    expect(DEFAULT_BODY_TIMEOUT_MS).toBeLessThanOrEqual(30_000);
    expect(DEFAULT_BODY_TIMEOUT_MS).toBeGreaterThan(0);
    expect(() => toNodeHandler(async () => new Response(), { bodyTimeoutMs: 0 })).toThrow(/bodyTimeoutMs/);
    expect(() => toNodeHandler(async () => new Response(), { bodyTimeoutMs: -5 })).toThrow(/bodyTimeoutMs/);
  });

  it("a client that stops sending its body is answered 408 and the handler's read fails", async () => {
    let readOutcome: (value: string) => void = () => {};
    const outcome = new Promise<string>((resolve) => {
      readOutcome = resolve;
    });
    const served = await serve(
      toNodeHandler(
        async (request) => {
          try {
            await request.text();
            readOutcome("read");
          } catch {
            readOutcome("failed");
          }
          return new Response("late answer", { status: 200 });
        },
        { bodyTimeoutMs: 50 },
      ),
    );
    servers.push(served);
    // Declares 100 bytes, sends one, then goes quiet: the trickle the deadline exists for.
    const response = await rawRequest(served.port, {
      method: "POST",
      path: "/",
      headers: { "content-type": "application/json", "content-length": 100 },
      chunks: ["{"],
      keepOpen: true,
    });
    expect(response.status).toBe(408);
    expect(response.headers.connection).toBe("close");
    expect(JSON.parse(response.body).error.code).toBe("request_timeout");
    expect(await outcome).toBe("failed");
  });

  it("the proxy behind the adapter answers 408 to a stalled create and forwards nothing", async () => {
    const served = await serve(
      toNodeHandler(
        createProxyHandler({
          authorize: () => true,
          apiKey: "sk-test-node-adapter-0123456789",
          baseUrl: api.url,
          basePath: "/api/videoretalk",
          onError: () => {},
        }),
        { bodyTimeoutMs: 50 },
      ),
    );
    servers.push(served);
    const response = await rawRequest(served.port, {
      method: "POST",
      path: "/api/videoretalk/v1/videos/generations",
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
      chunks: ['{"video_url":'],
      keepOpen: true,
    });
    expect(response.status).toBe(408);
    expect(api.received).toHaveLength(0);
  });

  it("a body that arrives in full is not affected, and GETs never start the deadline", async () => {
    const served = await serve(
      toNodeHandler(async (request) => new Response(await request.text()), { bodyTimeoutMs: 60_000 }),
    );
    servers.push(served);
    const post = await rawRequest(served.port, { method: "POST", path: "/", chunks: ["a", "b", "c"] });
    expect(post.status).toBe(200);
    expect(post.body).toBe("abc");
    expect((await rawRequest(served.port, { path: "/" })).status).toBe(200);
  });
});
