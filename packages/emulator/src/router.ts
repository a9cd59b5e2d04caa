import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readCredits, readStats } from "./account-routes.js";
import { apiErrorBody, errorBodyFor, filesErrorBody, invalidRequest, type RouteKind } from "./api-errors.js";
import { batchReadTasks } from "./batch-read.js";
import { type EmulatorContext, isCompleted, mediaAtPath, resolveHosted } from "./context.js";
import { createTask } from "./create-task.js";
import { type FilesApiContext, type JsonReply, quota, uploadBase64, uploadStream, uploadUrl } from "./files-api.js";
import { httpScenarioEffect } from "./http-scenarios.js";
import { bearerToken, headerValue, newRequestId, sendJson, sleep } from "./http-utils.js";
import { refuseMisdirected } from "./request-guard.js";
import { parseScenarios, SCENARIO_HEADER, type Scenario } from "./scenarios.js";
import { serveMedia } from "./serve-media.js";

/** Routes one request of the emulator's HTTP server. */

/** What a route handler gets besides the request and response. */
interface RequestInfo {
  match: RegExpMatchArray;
  scenarios: readonly Scenario[];
  /** The accepted bearer token ("" on public routes). */
  token: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, info: RequestInfo) => Promise<void>;

interface Route {
  pattern: RegExp;
  methods: readonly string[];
  kind: RouteKind | "info";
  /** Whether the route needs the bearer token (hosted media is public, like a CDN). */
  auth: boolean;
  /** Whether the route applies `slow`/`status`/`retry-after` itself (create also reads `video_url`). */
  ownScenarios?: boolean;
  handler: Handler;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function sameToken(token: string, expected: string): boolean {
  const a = Buffer.from(token);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Creates the request listener for an emulator instance. */
export function createRouter(context: EmulatorContext): (req: IncomingMessage, res: ServerResponse) => void {
  const filesContext: FilesApiContext = {
    files: context.files,
    baseUrl: context.baseUrl,
    resolveHosted: (url) => resolveHosted(context, url),
  };

  const reply = (res: ServerResponse, answer: JsonReply) => sendJson(res, answer.status, answer.body, answer.headers);

  const routes: Route[] = [
    {
      pattern: /^\/v1\/videos\/generations$/,
      methods: ["POST"],
      kind: "create",
      auth: true,
      ownScenarios: true,
      handler: async (req, res, { scenarios, token }) => reply(res, await createTask(req, context, scenarios, token)),
    },
    // Before /v1/tasks/{task_id}, which would take "batch" for an id.
    {
      pattern: /^\/v1\/tasks\/batch$/,
      methods: ["POST"],
      kind: "task",
      auth: true,
      handler: async (req, res) => reply(res, await batchReadTasks(req, context)),
    },
    {
      pattern: /^\/v1\/credits$/,
      methods: ["GET"],
      kind: "create",
      auth: true,
      handler: async (_req, res) => reply(res, readCredits(context)),
    },
    {
      pattern: /^\/__emulator\/stats$/,
      methods: ["GET"],
      kind: "info",
      auth: false,
      handler: async (req, res) => reply(res, readStats(req, context)),
    },
    {
      pattern: /^\/v1\/tasks\/([^/]+)$/,
      methods: ["GET"],
      kind: "task",
      auth: true,
      handler: async (_req, res, { match }) => {
        context.accounting.count("taskReads");
        const id = safeDecode(match[1] ?? "");
        if (!id.startsWith("task-unified-")) return reply(res, { status: 400, body: apiErrorBody("task", 400) });
        const task = context.tasks.get(id);
        if (!task) return reply(res, { status: 404, body: apiErrorBody("task", 404) });
        reply(res, { status: 200, body: context.tasks.view(task) });
      },
    },
    {
      pattern: /^\/api\/v1\/files\/upload\/stream$/,
      methods: ["POST"],
      kind: "files",
      auth: true,
      handler: async (req, res) => reply(res, await uploadStream(req, filesContext)),
    },
    {
      pattern: /^\/api\/v1\/files\/upload\/base64$/,
      methods: ["POST"],
      kind: "files",
      auth: true,
      handler: async (req, res) => reply(res, await uploadBase64(req, filesContext)),
    },
    {
      pattern: /^\/api\/v1\/files\/upload\/url$/,
      methods: ["POST"],
      kind: "files",
      auth: true,
      handler: async (req, res) => reply(res, await uploadUrl(req, filesContext)),
    },
    {
      pattern: /^\/api\/v1\/files\/quota$/,
      methods: ["GET"],
      kind: "files",
      auth: true,
      handler: async (_req, res) => reply(res, quota(filesContext)),
    },
    {
      pattern: /^\/results\/([^/]+)\.mp4$/,
      methods: ["GET", "HEAD"],
      kind: "media",
      auth: false,
      handler: async (req, res, { match }) => {
        const task = context.tasks.get(safeDecode(match[1] ?? ""));
        if (!task || !isCompleted(context, task)) {
          return reply(res, { status: 404, body: apiErrorBody("media", 404) });
        }
        if (task.resultStatus !== undefined) {
          return reply(res, { status: task.resultStatus, body: apiErrorBody("media", task.resultStatus) });
        }
        let dropAfterBytes: number | undefined;
        if (req.method === "GET" && task.dropAfter && task.dropAfter.remaining > 0) {
          task.dropAfter.remaining -= 1;
          dropAfterBytes = task.dropAfter.bytes;
        }
        serveMedia(req, res, task.result, dropAfterBytes === undefined ? {} : { dropAfterBytes });
      },
    },
    {
      pattern: /^\/(?:samples\/[^/]+|files\/.+|api\/v1\/files\/download\/[^/]+)$/,
      methods: ["GET", "HEAD"],
      kind: "media",
      auth: false,
      handler: async (req, res) => {
        const media = mediaAtPath(context, new URL(req.url ?? "/", context.baseUrl).pathname);
        if (!media) return reply(res, { status: 404, body: apiErrorBody("media", 404) });
        serveMedia(req, res, media);
      },
    },
    {
      pattern: /^\/$/,
      methods: ["GET", "HEAD"],
      kind: "info",
      auth: false,
      handler: async (_req, res) =>
        reply(res, {
          status: 200,
          body: {
            name: "videoretalk-emulator",
            speed: context.speed,
            base_url: context.baseUrl,
            files_base_url: context.baseUrl,
            samples: {
              video: `${context.baseUrl}/samples/speaker.mp4`,
              audio: `${context.baseUrl}/samples/speech.wav`,
            },
          },
        }),
    },
  ];

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const { pathname } = new URL(req.url ?? "/", context.baseUrl);
    if (method === "OPTIONS") {
      res.writeHead(204, {
        "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
        "Access-Control-Allow-Headers": `Authorization, Content-Type, Idempotency-Key, Range, If-Range, ${SCENARIO_HEADER}`,
        "Access-Control-Max-Age": "600",
      });
      res.end();
      return;
    }
    const route = routes.find((candidate) => candidate.pattern.test(pathname));
    const kind: RouteKind = route && route.kind !== "info" ? route.kind : "create";
    const errorReply = (status: number, body = errorBodyFor(kind, status), headers?: Record<string, string>) =>
      reply(res, headers ? { status, body, headers } : { status, body });
    if (!route)
      return errorReply(
        404,
        apiErrorBody("media", 404, { code: "not_found", message: `No route for ${method} ${pathname}` }),
      );
    if (!route.methods.includes(method)) {
      return errorReply(405, errorBodyFor(kind, 405), { Allow: route.methods.join(", ") });
    }

    const parsed = parseScenarios(headerValue(req, SCENARIO_HEADER));
    if (!parsed.ok) {
      const body =
        kind === "files"
          ? filesErrorBody(400, { code: 400, msg: parsed.message })
          : invalidRequest("invalid_parameter", parsed.message, "X-Emulator-Scenario");
      return errorReply(400, body);
    }
    const scenarios: Scenario[] = parsed.scenarios;

    let token = "";
    if (route.auth) {
      const presented = bearerToken(req);
      if (presented === undefined || (context.apiKey !== undefined && !sameToken(presented, context.apiKey))) {
        const body =
          kind === "files"
            ? filesErrorBody(401)
            : apiErrorBody(kind, 401, presented === undefined ? { message: "Authentication required" } : undefined);
        return errorReply(401, body);
      }
      token = presented;
    }

    const match = pathname.match(route.pattern) ?? [pathname];
    if (route.ownScenarios) return route.handler(req, res, { match, scenarios, token });
    const key = kind === "task" ? `task:${match[1]}` : `${method} ${pathname}`;
    const effect = httpScenarioEffect(scenarios, kind, key, context.counter);
    await sleep(effect.delayMs, context.signal, context.clock);
    if (effect.reply) return reply(res, effect.reply);
    if (kind === "media" && method === "GET") {
      const drop = scenarios.find((scenario) => scenario.kind === "drop-after");
      const media = drop && context.counter.take(drop, key) ? mediaAtPath(context, pathname) : undefined;
      if (drop && media) return serveMedia(req, res, media, { dropAfterBytes: drop.bytes });
    }
    await route.handler(req, res, { match, scenarios, token });
  }

  return (req, res) => {
    res.setHeader("X-Request-Id", newRequestId());
    // Wrong Host (DNS rebinding) or a page from an origin it was not told about: refused here.
    if (refuseMisdirected(req, res, context)) return;
    dispatch(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      sendJson(res, 500, apiErrorBody("create", 500, { message: `Emulator error: ${message}` }));
    });
  };
}
