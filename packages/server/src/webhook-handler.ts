import { isTerminalStatus, NotFoundError, type Task, ValidationError, type VideoRetalkClient } from "@videoretalk/core";
import { apiErrorResponse, isJsonContentType, jsonResponse } from "./api-error-response.js";
import { checkSecret, importSecret, verifyCallbackUrl } from "./callback-token.js";
import { type ClaimOutcome, claimDelivery, completeDelivery, isWebhookStore } from "./delivery-claims.js";
import { createMemoryStore, type WebhookStore } from "./memory-store.js";
import type { FetchHandler } from "./proxy-handler.js";
import { readBodyText, resolveMaxBodyBytes } from "./read-body.js";

/** How long a delivered task is remembered: 24 h, longer than the API retries. */
export const DEDUPE_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Default life of an in-flight claim, in ms: how long a delivery whose `onTask` is still running
 * (or whose process died mid-way) keeps copies out. Longer than any sensible `onTask` (the API
 * gives up after 10 s), short enough that a lost claim does not lose the task.
 */
export const DEFAULT_CLAIM_TTL_MS = 2 * 60 * 1000;

/** `Retry-After` sent with a 409 for a copy that arrived while the first is still being handled, in s. */
export const IN_FLIGHT_RETRY_AFTER_S = 5;

/** Time allowed for the `verify: "refetch"` read, in ms; the API waits 10 s for an answer. */
export const REFETCH_DEADLINE_MS = 5_000;

/** What `onTask` gets besides the task. */
export interface WebhookContext {
  /** The delivery; its body has already been read. */
  request: Request;
  /**
   * The callback URL as received. Its query is covered by the token, so values you put there
   * with `callbackUrl()` (such as `?user=42`) can be trusted.
   */
  url: URL;
}

/** Options of {@link createWebhookHandler}. */
export interface WebhookHandlerOptions {
  /**
   * The secret given to `callbackUrl()` (at least 16 characters). Pass an array while rotating:
   * URLs signed with any of them verify.
   */
  secret: string | readonly string[];
  /**
   * Receives each task's terminal state (`completed`, `failed`, `cancelled`) once per task id:
   * a task reaches it in one terminal status at most, the first that is delivered successfully.
   * Keep it short (queue slow work): the API waits 10 s for an answer. If it throws, the
   * delivery is answered 500 and forgotten, so the API's retry delivers it again. A copy that
   * arrives while it is still running is answered 409 with `Retry-After`, so the sender tries
   * again instead of counting it as delivered.
   */
  onTask: (task: Task, context: WebhookContext) => void | Promise<void>;
  /**
   * `"token"` (default): trust a body that arrives on a URL with a valid token. `"refetch"`:
   * also read the task with `client` and use the API's version; a task the API does not know,
   * or whose status differs from the body's, is refused.
   */
  verify?: "token" | "refetch" | undefined;
  /** A core client with your API key; required for `verify: "refetch"`. */
  client?: { tasks: Pick<VideoRetalkClient["tasks"], "get"> } | undefined;
  /** Where delivered keys are remembered. Default: {@link createMemoryStore} (one process, 24 h). */
  store?: WebhookStore | undefined;
  /**
   * How long an in-flight claim lives, in ms: if `onTask` and the store's `release` both fail,
   * copies are answered 409 until then and handled again after. Default 120 000 (2 min).
   */
  claimTtlMs?: number | undefined;
  /** Largest body accepted, in bytes (`Content-Length` and streamed bytes). Default 65 536. */
  maxBodyBytes?: number | undefined;
  /** Receives errors thrown by `onTask`, the store or the refetch. Default: `console.error`. */
  onError?: ((error: unknown, request: Request) => void) | undefined;
}

function asTaskBody(value: unknown): { id: string; status: string } | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const { id, status } = value as { id?: unknown; status?: unknown };
  if (typeof id !== "string" || id === "" || typeof status !== "string" || status === "") return undefined;
  return value as { id: string; status: string };
}

const badRequest = (code: string, message: string) =>
  apiErrorResponse(400, { code, message, type: "invalid_request_error" });

/**
 * Creates a Fetch-API handler for the API's `callback_url` deliveries. The API does not sign
 * callbacks, so the URL does: build it with `callbackUrl()` and deliveries without a valid
 * `vr_token` are answered 401 before the body is read. Each terminal state reaches `onTask` once
 * per task id and status even though the API retries deliveries; other statuses are answered 200
 * and dropped. Malformed JSON or a content type other than JSON is 400, an oversized body 413.
 *
 * @example Next.js route handler in app/api/videoretalk-hook/route.ts
 * ```ts
 * import { createWebhookHandler } from "@videoretalk/server";
 *
 * export const POST = createWebhookHandler({
 *   secret: process.env.VR_WEBHOOK_SECRET!,
 *   onTask: async (task, { url }) => {
 *     await db.tasks.update(task.id, { status: task.status, user: url.searchParams.get("user") });
 *   },
 * });
 * ```
 * @throws {ValidationError} at construction for a missing `onTask`, a short secret, or
 *   `verify: "refetch"` without a `client`.
 */
export function createWebhookHandler(options: WebhookHandlerOptions): FetchHandler {
  if (options === null || typeof options !== "object" || typeof options.onTask !== "function") {
    throw new ValidationError("onTask", "createWebhookHandler() needs an onTask(task) function.");
  }
  const secrets = (typeof options.secret === "string" ? [options.secret] : [...(options.secret ?? [])]).map(
    checkSecret,
  );
  if (secrets.length === 0) checkSecret(undefined);
  const verify = options.verify ?? "token";
  if (verify !== "token" && verify !== "refetch") {
    throw new ValidationError("verify", `verify must be "token" or "refetch", got ${JSON.stringify(verify)}.`);
  }
  const { client, onTask } = options;
  if (verify === "refetch" && typeof client?.tasks?.get !== "function") {
    throw new ValidationError(
      "client",
      'verify: "refetch" needs a client from createVideoRetalk() to read tasks with.',
    );
  }
  const store = options.store ?? createMemoryStore();
  if (!isWebhookStore(store)) {
    throw new ValidationError(
      "store",
      "store must have claim(key, ttlMs) and release(key) functions (and, optionally, complete(key, ttlMs) and isDelivered(key)).",
    );
  }
  const claimTtlMs = options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS;
  if (typeof claimTtlMs !== "number" || !Number.isInteger(claimTtlMs) || claimTtlMs <= 0) {
    throw new ValidationError(
      "claimTtlMs",
      `claimTtlMs must be a positive whole number of ms, got ${String(claimTtlMs)}.`,
    );
  }
  const maxBodyBytes = resolveMaxBodyBytes(options.maxBodyBytes);
  const keys = Promise.all(secrets.map(importSecret));
  // Surfaced by the first delivery; this only keeps an early failure from going unhandled.
  keys.catch(() => {});
  const onError =
    options.onError ??
    ((error: unknown) => {
      console.error("[@videoretalk/server] webhook delivery failed:", error);
    });
  const report = (error: unknown, request: Request) => {
    try {
      onError(error, request);
    } catch {
      // A failing logger must not change the answer.
    }
  };
  const serverError = (code: string, message: string) => apiErrorResponse(500, { code, message, type: "api_error" });

  return async function webhookHandler(request: Request): Promise<Response> {
    if (request.method !== "POST") {
      return apiErrorResponse(
        405,
        { code: "method_not_allowed", message: "Callbacks are delivered with POST.", type: "invalid_request_error" },
        { allow: "POST" },
      );
    }
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return badRequest("invalid_request", "The request URL could not be parsed.");
    }
    let verified = false;
    try {
      verified = await verifyCallbackUrl(url, await keys);
    } catch (error) {
      report(error, request);
      return serverError("internal_error", "The server could not verify this delivery.");
    }
    if (!verified) {
      return apiErrorResponse(401, {
        code: "invalid_token",
        message: "This callback URL is not signed by this server.",
        type: "authentication_error",
      });
    }
    if (!isJsonContentType(request.headers.get("content-type"))) {
      return badRequest("unsupported_media_type", "Callbacks must be sent as application/json.");
    }
    const body = await readBodyText(request, maxBodyBytes);
    if (!body.ok) {
      if (body.reason === "too-large") {
        return apiErrorResponse(413, {
          code: "request_too_large",
          message: `The body is larger than this server accepts (${maxBodyBytes} bytes).`,
          type: "invalid_request_error",
        });
      }
      return badRequest("invalid_request", "The body could not be read as UTF-8.");
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.text);
    } catch {
      return badRequest("invalid_json", "The body is not valid JSON.");
    }
    const claimed = asTaskBody(parsed);
    if (!claimed) return badRequest("invalid_task", "The body is not a task: it needs a string id and status.");
    // Progress updates (and statuses this SDK does not know) are acknowledged and dropped.
    if (!isTerminalStatus(claimed.status)) return jsonResponse(200, { received: true, delivered: false });

    let task = parsed as Task;
    if (verify === "refetch" && client) {
      try {
        task = await client.tasks.get(claimed.id, { deadlineMs: REFETCH_DEADLINE_MS, signal: request.signal });
      } catch (error) {
        if (error instanceof NotFoundError) {
          return badRequest("unknown_task", "The API does not know the task in this delivery.");
        }
        // Not 2xx, so the API retries the delivery later.
        report(error, request);
        return apiErrorResponse(502, {
          code: "refetch_failed",
          message: "The server could not read the task back from the API.",
          type: "api_error",
        });
      }
      if (task.id !== claimed.id || task.status !== claimed.status) {
        return apiErrorResponse(409, {
          code: "task_mismatch",
          message: "The delivered task does not match the API's version of it.",
          type: "invalid_request_error",
        });
      }
    }

    return deliverOnce(task, { request, url });
  };

  /** Hands a verified terminal task to `onTask` once per task id, whatever its status. */
  async function deliverOnce(task: Task, context: WebhookContext): Promise<Response> {
    const { request } = context;
    const key = `task:${task.id}`;
    let outcome: ClaimOutcome;
    try {
      outcome = await claimDelivery(store, key, claimTtlMs);
    } catch (error) {
      report(error, request);
      return serverError("internal_error", "The server could not record this delivery.");
    }
    if (outcome === "delivered") return jsonResponse(200, { received: true, delivered: false, duplicate: true });
    if (outcome === "in-flight") {
      return apiErrorResponse(
        409,
        {
          code: "delivery_in_progress",
          message: "Another delivery of this task is still being handled; try again shortly.",
          type: "api_error",
        },
        { "retry-after": String(IN_FLIGHT_RETRY_AFTER_S) },
      );
    }
    try {
      await onTask(task, context);
    } catch (error) {
      report(error, request);
      try {
        await store.release(key);
      } catch (releaseError) {
        // The claim still expires after claimTtlMs, so a later retry reaches onTask.
        report(releaseError, request);
      }
      return serverError("internal_error", "The server failed to process this delivery; it may be retried.");
    }
    try {
      await completeDelivery(store, key, DEDUPE_TTL_MS);
    } catch (error) {
      // onTask ran: acknowledge it. The claim keeps copies out until it expires.
      report(error, request);
    }
    return jsonResponse(200, { received: true, delivered: true });
  }
}
