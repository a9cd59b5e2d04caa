import {
  API_KEY_ENV,
  type Clock,
  createVideoRetalk,
  IDEMPOTENCY_KEY_PATTERN,
  type LipSyncParams,
  readEnv,
  systemClock,
  ValidationError,
  type VideoRetalkClient,
} from "@videoretalk/core";
import { validateCreateParams } from "@videoretalk/core/validation";
import { type ApiErrorFields, apiErrorBody, isJsonContentType } from "./api-error-response.js";
import { compileCallbackHosts } from "./callback-hosts.js";
import { type AuthorizeResult, callerScope, scopedIdempotencyKey } from "./idempotency-scope.js";
import { ProxyError } from "./proxy-error.js";
import { matchRoute, normalizeBasePath } from "./proxy-routes.js";
import { readBodyText, resolveMaxBodyBytes } from "./read-body.js";
import { type ProxyUploadOptions, resolveUploads } from "./upload-options.js";
import { handleUpload } from "./upload-route.js";
import { internalError, mapUpstreamError, requestIdHeader } from "./upstream-error.js";

/** The part of a core client the proxy uses; any `createVideoRetalk()` client fits. */
export type ProxyClient = {
  lipSync: Pick<VideoRetalkClient["lipSync"], "create">;
  tasks: Pick<VideoRetalkClient["tasks"], "get">;
  /** Needed only with the `uploads` option. */
  files?: Pick<VideoRetalkClient["files"], "upload"> | undefined;
};

/** Which operation a request asks for, passed to `authorize` so it can check ownership. */
export type ProxyOperation = { operation: "create" } | { operation: "get"; taskId: string } | { operation: "upload" };

/** A Fetch-API request handler, as used by Next.js route handlers, Hono, Bun and Deno. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** Options of {@link createProxyHandler}. */
export interface ProxyHandlerOptions {
  /**
   * Decides who may call the proxy. Required: nothing is forwarded unless it returns (or resolves
   * to) exactly `true` or `{ subject }` with a non-empty string identifying the caller (a user
   * id). `false` or anything else answers 403; a throw answers 500 without details, except a
   * {@link ProxyError}, which answers its own status (e.g. 401). Runs after routing and before the
   * body is read, so it must not read the body itself.
   *
   * The caller's `Idempotency-Key` is hashed with its identity before it goes upstream, so one
   * user can never replay another user's key and get their task. Return `{ subject: user.id }`
   * for a stable identity; with plain `true` the identity is the request's `Authorization` and
   * `Cookie` headers, so a session cookie that changes between a request and its retry starts a
   * new key namespace.
   */
  authorize: (request: Request, operation: ProxyOperation) => AuthorizeResult | Promise<AuthorizeResult>;
  /**
   * The core client used upstream. Default: one built from `apiKey`, `baseUrl` and `fetch` with
   * `maxRetries: 0` (the browser's client already retries, with the same idempotency key).
   */
  client?: ProxyClient | undefined;
  /** API key for the built-in client. Defaults to `process.env.EVOLINK_API_KEY` (read by core). */
  apiKey?: string | undefined;
  /** API origin for the built-in client. Defaults to `EVOLINK_BASE_URL`, else `https://api.evolink.ai`. */
  baseUrl?: string | undefined;
  /** `fetch` for the built-in client. Default: the global `fetch`. */
  fetch?: typeof fetch | undefined;
  /**
   * Files API origin for the built-in client (used by `uploads`). Defaults to
   * `EVOLINK_FILES_BASE_URL`, else `https://files-api.evolink.ai`.
   */
  filesBaseUrl?: string | undefined;
  /**
   * Turns on a third route, `POST {basePath}/v1/files/upload`, that streams one browser file
   * (multipart/form-data, part `file`) to the Files API with your key and answers `{ file_url }`.
   * Off by default. `true` uses the defaults: at most 100 MB (counted while streaming; 413 past
   * it) and the video/audio/image types VideoRetalk accepts (the declared type is checked
   * against the file's first bytes; 415 otherwise). `authorize` sees `{ operation: "upload" }`.
   * The body gets 30 min in all and at most 60 s of silence (408 past either), in place of
   * `toNodeHandler`'s 30 s; see {@link ProxyUploadOptions}.
   */
  uploads?: ProxyUploadOptions | boolean | undefined;
  /**
   * Time source of the upload route's body deadlines (`uploads.bodyTimeoutMs`,
   * `uploads.bodyIdleTimeoutMs`). Default: the system clock; tests pass a fake one.
   */
  clock?: Clock | undefined;
  /**
   * Where the handler is mounted, e.g. `"/api/videoretalk"`: the browser client's `baseUrl` is
   * this path on your origin. Default `""` (the root).
   */
  basePath?: string | undefined;
  /**
   * Host names a browser may name in `callback_url` (`hooks.example.com`, or `*.example.com` for
   * subdomains). Default: none, so any browser-supplied `callback_url` is refused (it would let
   * anyone point the API's callbacks at any host). `beforeCreate` may still set one.
   */
  callbackHosts?: readonly string[] | undefined;
  /**
   * Rewrites the validated create parameters per request: force your own `callback_url`, check
   * a quota, log. Its result is validated again. Throw a {@link ProxyError} to refuse with your
   * own status and message; any other throw answers 403 without details.
   */
  beforeCreate?: ((params: LipSyncParams, request: Request) => LipSyncParams | Promise<LipSyncParams>) | undefined;
  /** Largest create body accepted, in bytes (`Content-Length` and streamed bytes). Default 65 536. */
  maxBodyBytes?: number | undefined;
  /**
   * Receives errors that are the server's fault (a throwing hook, an unreachable API) and are
   * answered without details. Default: `console.error`. Never receives the API key from core.
   */
  onError?: ((error: unknown, request: Request) => void) | undefined;
}

const ACCEPT_JSON = { accept: "application/json" };

/**
 * Creates a deny-by-default proxy that lets browsers use the VideoRetalk API without seeing your
 * API key. Below `basePath` it forwards exactly `POST /v1/videos/generations` and
 * `GET /v1/tasks/{task_id}`; everything else is 404 or 405. The caller's headers (cookies,
 * `Authorization`, …) never go upstream, and only `Content-Type`, `X-Request-Id` and
 * `Retry-After` come back. Refusals and upstream errors use the API's error shape, so a browser
 * client (`createVideoRetalk({ apiKey: null, baseUrl: proxyUrl, dangerouslyAllowBrowser: true })`)
 * throws the same error classes as against the API.
 *
 * @example Next.js route handler in app/api/videoretalk/[...path]/route.ts
 * ```ts
 * import { createProxyHandler } from "@videoretalk/server";
 *
 * const handler = createProxyHandler({
 *   basePath: "/api/videoretalk",
 *   authorize: async (request) => (await getSession(request)) !== null,
 * });
 * export { handler as GET, handler as POST };
 * ```
 * @throws {ValidationError} at construction for a missing `authorize` or an invalid option.
 */
export function createProxyHandler(options: ProxyHandlerOptions): FetchHandler {
  if (options === null || typeof options !== "object" || typeof options.authorize !== "function") {
    throw new ValidationError(
      "authorize",
      "createProxyHandler() needs an authorize(request) function: the proxy spends your API key, so it forwards nothing until you decide who may call it.",
    );
  }
  if (options.beforeCreate !== undefined && typeof options.beforeCreate !== "function") {
    throw new ValidationError("beforeCreate", "beforeCreate must be a function.");
  }
  const { authorize, beforeCreate } = options;
  const basePath = normalizeBasePath(options.basePath);
  const callbackAllowed = compileCallbackHosts(options.callbackHosts);
  const maxBodyBytes = resolveMaxBodyBytes(options.maxBodyBytes);
  const uploads = resolveUploads(options.uploads);
  const client = resolveClient(options);
  if (uploads !== undefined && typeof client.files?.upload !== "function") {
    throw new ValidationError(
      "client",
      "The uploads option needs a client with files.upload (any createVideoRetalk() client).",
    );
  }
  const secrets = knownSecrets(options);
  const onError =
    options.onError ??
    ((error: unknown) => {
      console.error("[@videoretalk/server] proxy request failed:", error);
    });
  const report = (error: unknown, request: Request) => {
    try {
      onError(error, request);
    } catch {
      // A failing logger must not turn a refusal into an unhandled rejection.
    }
  };

  // Last line of defence: core already redacts the key it knows, but this handler also knows
  // the key it was given and makes sure no byte of it reaches the browser.
  const redact = (value: string) => secrets.reduce((out, secret) => out.split(secret).join("[redacted]"), value);
  const send = (status: number, body: unknown, headers: Record<string, string> = {}): Response => {
    const safe: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (redact(value) === value) safe[name] = value;
    }
    return new Response(redact(JSON.stringify(body)), {
      status,
      headers: { ...safe, "content-type": "application/json" },
    });
  };
  // Refusals go through `send` too, so they get the same last-line redaction.
  const refuse = (status: number, fields: ApiErrorFields, headers?: Record<string, string>) =>
    send(status, apiErrorBody(fields), headers);
  const fromProxyError = (error: ProxyError) =>
    refuse(error.status, { code: error.code, message: error.message, type: error.type, param: error.param });
  const upstreamFailure = (error: unknown, request: Request) => {
    const mapped = mapUpstreamError(error);
    if (mapped.report) report(error, request);
    return refuse(mapped.status, mapped.fields, mapped.headers);
  };

  async function create(request: Request, scope: string): Promise<Response> {
    if (!isJsonContentType(request.headers.get("content-type"))) {
      return refuse(415, {
        code: "unsupported_media_type",
        message: "Send the create parameters as a JSON body with Content-Type: application/json.",
        type: "invalid_request_error",
      });
    }
    const idempotencyKey = request.headers.get("idempotency-key") ?? undefined;
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
      return refuse(400, {
        code: "invalid_idempotency_key",
        message: "Idempotency-Key must be 16–96 characters from A–Z, a–z, 0–9, '.', '_' and '-'.",
        type: "invalid_request_error",
        param: "Idempotency-Key",
      });
    }
    const body = await readBodyText(request, maxBodyBytes);
    if (!body.ok) {
      if (body.reason === "too-large") {
        return refuse(413, {
          code: "request_too_large",
          message: `The request body is larger than this server accepts (${maxBodyBytes} bytes).`,
          type: "invalid_request_error",
        });
      }
      return refuse(400, {
        code: "invalid_request",
        message: "The request body could not be read as UTF-8 JSON.",
        type: "invalid_request_error",
      });
    }
    let input: unknown;
    try {
      input = JSON.parse(body.text);
    } catch {
      return refuse(400, {
        code: "invalid_json",
        message: "The request body is not valid JSON.",
        type: "invalid_request_error",
      });
    }
    let params: LipSyncParams;
    try {
      params = validateCreateParams(input);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return refuse(400, {
        code: "invalid_parameter",
        message: error.message,
        type: "invalid_request_error",
        param: error.field,
      });
    }
    // SSRF guard: the API would POST task results to whatever host the browser names.
    if (params.callback_url !== undefined && !callbackAllowed(new URL(params.callback_url).hostname)) {
      return refuse(400, {
        code: "callback_url_not_allowed",
        message: "callback_url's host is not one this server accepts callbacks for.",
        type: "invalid_request_error",
        param: "callback_url",
      });
    }
    if (beforeCreate) {
      try {
        params = await beforeCreate(params, request);
      } catch (error) {
        if (error instanceof ProxyError) return fromProxyError(error);
        report(error, request);
        return refuse(403, {
          code: "request_refused",
          message: "The server refused to create this task.",
          type: "invalid_request_error",
        });
      }
      try {
        params = validateCreateParams(params);
      } catch (error) {
        // The hook is server code: its mistakes are the server's, not the browser's, to see.
        report(error, request);
        return refuse(500, internalError());
      }
    }
    try {
      // maxRetries 0 on every call, even with the app's own client: the browser decides whether
      // to retry, so one browser request is at most one upstream request.
      const task = await client.lipSync.create(params, {
        idempotencyKey: idempotencyKey === undefined ? undefined : await scopedIdempotencyKey(scope, idempotencyKey),
        headers: ACCEPT_JSON,
        signal: request.signal,
        maxRetries: 0,
      });
      return send(200, task, requestIdHeader(task));
    } catch (error) {
      return upstreamFailure(error, request);
    }
  }

  async function getTask(request: Request, taskId: string): Promise<Response> {
    try {
      const task = await client.tasks.get(taskId, { headers: ACCEPT_JSON, signal: request.signal, maxRetries: 0 });
      return send(200, task, requestIdHeader(task));
    } catch (error) {
      return upstreamFailure(error, request);
    }
  }

  return async function proxyHandler(request: Request): Promise<Response> {
    let route: ReturnType<typeof matchRoute>;
    try {
      route = matchRoute(request.method, new URL(request.url).pathname, basePath, uploads !== undefined);
    } catch {
      route = { kind: "not-found" };
    }
    if (route.kind === "not-found") {
      return refuse(404, {
        code: "not_found",
        message: "Not found: this proxy serves only POST /v1/videos/generations and GET /v1/tasks/{task_id}.",
        type: "invalid_request_error",
      });
    }
    if (route.kind === "method-not-allowed") {
      return refuse(
        405,
        {
          code: "method_not_allowed",
          message: `Method ${request.method} is not allowed here; use ${route.allow}.`,
          type: "invalid_request_error",
        },
        { allow: route.allow },
      );
    }

    const operation: ProxyOperation =
      route.kind === "create"
        ? { operation: "create" }
        : route.kind === "upload"
          ? { operation: "upload" }
          : { operation: "get", taskId: route.taskId };
    let allowed: unknown;
    try {
      allowed = await authorize(request, operation);
    } catch (error) {
      if (error instanceof ProxyError) return fromProxyError(error);
      report(error, request);
      return refuse(500, internalError());
    }
    // Deny by default: only a literal `true` or `{ subject }` lets the request through.
    const scope = callerScope(allowed, request);
    if (scope === undefined) {
      return refuse(403, {
        code: "permission_denied",
        message: "You are not allowed to use this API.",
        type: "permission_error",
      });
    }

    try {
      if (route.kind === "upload") {
        const files = client.files;
        if (uploads === undefined || files === undefined) return refuse(500, internalError());
        return await handleUpload(request, {
          upload: (input, uploadOptions) => files.upload(input, uploadOptions),
          uploads,
          clock: options.clock ?? systemClock,
          send: (status, body) => send(status, body),
          refuse: (status, fields) => refuse(status, fields),
          upstreamFailure,
        });
      }
      return route.kind === "create" ? await create(request, scope) : await getTask(request, route.taskId);
    } catch (error) {
      report(error, request);
      return refuse(500, internalError());
    }
  };
}

function resolveClient(options: ProxyHandlerOptions): ProxyClient {
  const { client } = options;
  if (client !== undefined) {
    if (
      options.apiKey !== undefined ||
      options.baseUrl !== undefined ||
      options.fetch !== undefined ||
      options.filesBaseUrl !== undefined
    ) {
      throw new ValidationError(
        "client",
        "Pass either client or apiKey/baseUrl/filesBaseUrl/fetch to createProxyHandler(), not both: the options would be ignored.",
      );
    }
    if (typeof client?.lipSync?.create !== "function" || typeof client?.tasks?.get !== "function") {
      throw new ValidationError("client", "client must be a client from createVideoRetalk().");
    }
    return client;
  }
  return createVideoRetalk({
    apiKey: options.apiKey,
    baseUrl: options.baseUrl,
    filesBaseUrl: options.filesBaseUrl,
    fetch: options.fetch,
    maxRetries: 0,
  });
}

/** The API key this handler's own client will send, when it can know it (option or env). */
function knownSecrets(options: ProxyHandlerOptions): string[] {
  if (options.client !== undefined) return [];
  const key: unknown = options.apiKey === undefined ? readEnv(API_KEY_ENV) : options.apiKey;
  return typeof key === "string" && key.length >= 4 ? [key] : [];
}
