#!/usr/bin/env node
// The example's server, on node:http alone:
//   GET  /config                   what the page needs to start (sample media URLs, polling bounds)
//   *    /api/videoretalk/…        @videoretalk/server's proxy: adds the API key, forwards only
//                                  "create a lip-sync task", "get a task" and (uploads: on) a
//                                  file upload to the Files API (POST …/v1/files/upload)
//   POST /api/videoretalk-hook     @videoretalk/server's webhook receiver (signed callback URLs)
//   GET  /…                        the built Vite app from dist/
// Without EVOLINK_BASE_URL it starts the local emulator (@videoretalk/emulator) and points at it,
// so `pnpm --filter example-react-app start` works offline. Everything listens on 127.0.0.1.
//
// Environment:
//   EVOLINK_API_KEY     the API key; only this process ever sees it (default: a demo key, emulator only)
//   EVOLINK_BASE_URL    the API to use, e.g. https://api.evolink.ai (default: start the emulator)
//   PUBLIC_URL          this app's public https origin, for callback URLs the real API can reach
//   VR_WEBHOOK_SECRET   secret for signed callback URLs (default: random per process)
//   HOST, PORT          where to listen (default 127.0.0.1 and a free port)
//   EMULATOR_SPEED      emulator clock multiplier (default 20: a task takes 1.5–3 s)
//   SAMPLE_VIDEO_URL, SAMPLE_AUDIO_URL   prefills for the form when using the real API
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createVideoRetalk } from "@videoretalk/core";
import { callbackUrl, createProxyHandler, createWebhookHandler } from "@videoretalk/server";
import { toNodeHandler } from "@videoretalk/server/node";

const here = fileURLToPath(new URL(".", import.meta.url));
const DIST = resolve(here, "dist");
const PROXY_PATH = "/api/videoretalk";
const HOOK_PATH = "/api/videoretalk-hook";
// Only used with the emulator, which accepts exactly the key it was started with.
const DEMO_API_KEY = "sk-demo-emulator-key";
// A reserved (RFC 2606) host: the emulator forwards every callback to this server
// (forwardCallbacksTo), keeping path and query, so this never has to resolve.
const EMULATOR_PUBLIC_URL = "https://react-app.example";

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  // The in-page media check's parser (mediainfo.js); compiled with WebAssembly.instantiateStreaming.
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * @typedef {object} StartOptions
 * @property {string} [host]       interface to listen on (default 127.0.0.1)
 * @property {number} [port]       port (default 0: a free one)
 * @property {(line: string) => void} [log]   where log lines go (default console.log)
 */

/**
 * @typedef {object} RunningServer
 * @property {string} url                  this server's origin, e.g. http://127.0.0.1:41234
 * @property {string | undefined} emulatorUrl  the emulator's origin, when this server started one
 * @property {() => Promise<void>} close   stops the server and the emulator
 */

/**
 * Starts the example server (and the emulator unless EVOLINK_BASE_URL is set).
 *
 * @param {StartOptions} [options]
 * @returns {Promise<RunningServer>}
 */
export async function startServer(options = {}) {
  const log = options.log ?? ((line) => console.log(line));
  const env = process.env;
  const useEmulator = !env.EVOLINK_BASE_URL;
  const apiKey = env.EVOLINK_API_KEY?.trim() || (useEmulator ? DEMO_API_KEY : undefined);
  if (!apiKey) throw new Error("EVOLINK_API_KEY is required when EVOLINK_BASE_URL is set.");
  const webhookSecret = env.VR_WEBHOOK_SECRET || randomBytes(32).toString("hex");

  // Listen first: the emulator needs this server's origin to forward callbacks to.
  /** @type {(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void} */
  let route = (_req, res) => {
    res.writeHead(503, { "content-type": "text/plain; charset=utf-8" }).end("Starting…");
  };
  const server = createServer((req, res) => route(req, res));
  server.keepAliveTimeout = 2_000;
  const url = await listen(server, options.host ?? env.HOST ?? "127.0.0.1", options.port ?? Number(env.PORT ?? 0));

  /** @type {import("@videoretalk/emulator").Emulator | undefined} */
  let emulator;
  try {
    let baseUrl = env.EVOLINK_BASE_URL;
    const speed = Number(env.EMULATOR_SPEED ?? 20);
    if (useEmulator) {
      // A devDependency: only needed when no real API is configured.
      const { startEmulator } = await import("@videoretalk/emulator");
      // apiKey makes the emulator refuse any other key, so a working task proves the proxy
      // injected ours (the browser sends none).
      // corsOrigins: the page (served from this origin) may call the emulator directly, e.g. to
      // read a result; any other page may not (the emulator's default).
      emulator = await startEmulator({ speed, apiKey, forwardCallbacksTo: url, corsOrigins: [url] });
      baseUrl = emulator.url;
    }

    /** GET /config: public facts only. */
    const config = {
      backend: useEmulator ? "emulator" : "api",
      ...(useEmulator ? { speed } : {}),
      sampleVideoUrl: emulator ? `${emulator.url}/samples/speaker.mp4` : (env.SAMPLE_VIDEO_URL ?? ""),
      sampleAudioUrl: emulator ? `${emulator.url}/samples/speech.wav` : (env.SAMPLE_AUDIO_URL ?? ""),
      // The emulator finishes a task in seconds: poll at least once a second. Against the real
      // API the hook's defaults (1 s – 60 s, adaptive) are right.
      ...(useEmulator ? { poll: { minIntervalMs: 250, maxIntervalMs: 1_000 } } : {}),
    };

    // Every upstream call is logged (method, path, status: never headers), which is also how the
    // e2e test counts task creations.
    /** @type {typeof fetch} */
    const loggingFetch = async (input, init) => {
      const request = new Request(input, init);
      const response = await fetch(request);
      log(`[upstream] ${request.method} ${new URL(request.url).pathname} -> ${response.status}`);
      return response;
    };

    // Callbacks: the API does not sign them, so the URL carries an HMAC token (vr_token) and the
    // webhook handler refuses deliveries without a valid one. The API must be able to reach it:
    // with the real API set PUBLIC_URL to this app's public https origin (or a tunnel).
    const publicUrl = useEmulator ? EMULATOR_PUBLIC_URL : env.PUBLIC_URL;
    const signedCallbackUrl = publicUrl
      ? await callbackUrl(new URL(`${HOOK_PATH}?source=example-react-app`, publicUrl).href, {
          secret: webhookSecret,
        })
      : undefined;

    const proxy = createProxyHandler({
      basePath: PROXY_PATH,
      apiKey,
      baseUrl,
      fetch: loggingFetch,
      authorize: demoAuthorize,
      // The third route, off by default: the page uploads picked files here and gets a file_url.
      // Defaults: at most 100 MB, the video/audio/image types VideoRetalk takes. The emulator
      // hosts the Files API on its own origin; with the real API, EVOLINK_FILES_BASE_URL or
      // https://files-api.evolink.ai.
      uploads: true,
      ...(emulator ? { filesBaseUrl: emulator.url } : {}),
      // The browser may not choose a callback_url (no callbackHosts); the server sets its own.
      beforeCreate: (params) => (signedCallbackUrl ? { ...params, callback_url: signedCallbackUrl } : params),
    });

    const webhook = createWebhookHandler({
      secret: webhookSecret,
      // Do not trust the delivered body: read the task again with the API key.
      verify: "refetch",
      client: createVideoRetalk({ apiKey, baseUrl, fetch: loggingFetch }),
      onTask: (task) => {
        const detail = task.status === "completed" ? (task.results?.[0] ?? "") : (task.error?.code ?? "");
        log(`[webhook] task ${task.id} ${task.status} ${detail}`.trimEnd());
      },
    });

    const proxyNode = toNodeHandler(proxy);
    const webhookNode = toNodeHandler(webhook);

    route = (req, res) => {
      const pathname = (req.url ?? "/").split("?", 1)[0] ?? "/";
      if (pathname === HOOK_PATH) {
        webhookNode(req, res);
      } else if (pathname === PROXY_PATH || pathname.startsWith(`${PROXY_PATH}/`)) {
        proxyNode(req, res);
      } else if (pathname === "/config") {
        sendJson(res, 200, config);
      } else {
        serveStatic(req, res, pathname, emulator?.url).catch(() => {
          if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
          else res.destroy();
        });
      }
    };
  } catch (error) {
    await Promise.allSettled([closeServer(server), emulator?.close()]);
    throw error;
  }

  let closed;
  return {
    url,
    emulatorUrl: emulator?.url,
    close() {
      closed ??= Promise.allSettled([closeServer(server), emulator?.close()]).then(() => {});
      return closed;
    },
  };
}

/**
 * DEMO ONLY. The proxy spends your API key, so `authorize` decides who may call it. This demo
 * has no users: it admits same-origin browser requests (and non-browser clients such as curl)
 * and refuses requests a browser marks as coming from another site. A real app MUST check the
 * caller's session here (and may check that `operation.taskId` belongs to that user), e.g.
 * `authorize: async (request) => (await getSession(request)) !== null`.
 *
 * @param {Request} request
 * @returns {boolean}
 */
function demoAuthorize(request) {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") return false;
  const origin = request.headers.get("origin");
  return origin === null || origin === new URL(request.url).origin;
}

/**
 * Serves dist/; unknown paths without a file extension get index.html (client-side routes).
 *
 * @param {import("node:http").IncomingMessage} req
 * @param {import("node:http").ServerResponse} res
 * @param {string} pathname
 * @param {string | undefined} emulatorUrl
 */
async function serveStatic(req, res, pathname, emulatorUrl) {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    sendJson(res, 405, { error: "method not allowed" });
    return;
  }
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    sendJson(res, 400, { error: "bad path" });
    return;
  }
  const file = resolve(DIST, `.${decoded === "/" ? "/index.html" : decoded}`);
  if (file !== DIST && !file.startsWith(DIST + sep)) {
    sendJson(res, 404, { error: "not found" });
    return;
  }
  let body = await readFile(file).catch(() => undefined);
  let type = CONTENT_TYPES[/** @type {keyof typeof CONTENT_TYPES} */ (extname(file))];
  if (body === undefined) {
    if (extname(decoded) !== "") {
      sendJson(res, 404, { error: "not found" });
      return;
    }
    body = await readFile(join(DIST, "index.html")).catch(() => undefined);
    type = CONTENT_TYPES[".html"];
    if (body === undefined) {
      sendText(res, 503, "dist/ is missing: run `pnpm --filter example-react-app build` first.");
      return;
    }
  }
  setSecurityHeaders(res, emulatorUrl);
  res.writeHead(200, {
    "content-type": type ?? "application/octet-stream",
    "content-length": body.length,
    // Vite puts a content hash in every file name under assets/.
    "cache-control": decoded.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

/**
 * The page may only call this origin (connect-src 'self'): even a script injected into it could
 * not reach the API directly. Media may come from the API's result host.
 *
 * @param {import("node:http").ServerResponse} res
 * @param {string | undefined} emulatorUrl
 */
function setSecurityHeaders(res, emulatorUrl) {
  res.setHeader(
    "content-security-policy",
    [
      "default-src 'self'",
      // 'wasm-unsafe-eval' lets the page compile the media checker's WebAssembly, nothing else.
      "script-src 'self' 'wasm-unsafe-eval'",
      "connect-src 'self'",
      `media-src 'self' https:${emulatorUrl ? ` ${emulatorUrl}` : ""}`,
      "img-src 'self' data:",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join("; "),
  );
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "no-referrer");
}

/**
 * @param {import("node:http").ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/**
 * @param {import("node:http").ServerResponse} res
 * @param {number} status
 * @param {string} text
 */
function sendText(res, status, text) {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/**
 * @param {import("node:http").Server} server
 * @param {string} host
 * @param {number} port
 * @returns {Promise<string>} the origin
 */
function listen(server, host, port) {
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = /** @type {import("node:net").AddressInfo} */ (server.address());
      const shown = address.address.includes(":") ? `[${address.address}]` : address.address;
      resolvePromise(`http://${shown}:${address.port}`);
    });
  });
}

/** @param {import("node:http").Server} server */
function closeServer(server) {
  return new Promise((resolvePromise) => {
    server.close(() => resolvePromise(undefined));
    server.closeAllConnections();
  });
}

async function main() {
  const running = await startServer();
  console.log(`example-react-app listening on ${running.url}`);
  if (running.emulatorUrl) console.log(`emulator (stand-in for the API): ${running.emulatorUrl}`);
  // Never print the key itself.
  console.log(
    `API key: ${process.env.EVOLINK_API_KEY ? "from EVOLINK_API_KEY (not shown)" : "demo key (emulator only)"}`,
  );
  const stop = () => {
    running.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
