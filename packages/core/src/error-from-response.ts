import {
  APIError,
  type APIErrorInit,
  AuthenticationError,
  BadRequestError,
  InsufficientCreditsError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from "./errors.js";
import { redactJson, redactText } from "./redact.js";
import { parseRetryAfterMs } from "./retry.js";

type APIErrorClass = new (message: string, init: APIErrorInit) => APIError;

const CLASS_BY_STATUS: Record<number, APIErrorClass> = {
  400: BadRequestError,
  401: AuthenticationError,
  402: InsufficientCreditsError,
  403: PermissionDeniedError,
  404: NotFoundError,
  429: RateLimitError,
};

/** The error class for an HTTP status: one per documented status, else the base `APIError`. */
export function errorClassForStatus(status: number): APIErrorClass {
  return CLASS_BY_STATUS[status] ?? (status >= 500 ? InternalServerError : APIError);
}

const MAX_MESSAGE_CHARS = 300;
// Gateways append "(request id: …)" to messages; it belongs in `requestId`, not the text.
const REQUEST_ID_SUFFIX = /\s*\(request id: ([^)]*)\)\s*$/i;

/** Response headers as a plain lower-cased record, without cookies, with `secrets` redacted. */
export function headersToRecord(headers: Headers, secrets: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    if (key !== "set-cookie") out[key] = redactText(value, secrets);
  });
  return out;
}

/**
 * `X-Request-Id`, falling back to `X-Oneapi-Request-Id`, with `secrets` redacted: some gateways
 * echo the `Authorization` value into their request id, and the id is copied into messages.
 */
export function requestIdFrom(headers: Headers, secrets: readonly string[] = []): string | undefined {
  const value = headers.get("x-request-id") ?? headers.get("x-oneapi-request-id") ?? undefined;
  return value === undefined ? undefined : redactText(value, secrets);
}

/** A body that could not be used, described without echoing it. */
export function describeUnreadableBody(text: string, contentType: string | null): string {
  const trimmed = text.trim();
  if (trimmed === "") return "an empty body";
  if (/^<(!doctype|html|head|body|\?xml)/i.test(trimmed) || contentType?.includes("html")) {
    return "an HTML page instead of JSON";
  }
  if (/^[[{]/.test(trimmed)) return "truncated or invalid JSON";
  return "a body that is not JSON";
}

/** Parses a body as JSON, or returns `undefined`. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function asErrorObject(body: unknown): Record<string, unknown> | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const inner = record.error;
  if (inner !== null && typeof inner === "object" && !Array.isArray(inner)) {
    return inner as Record<string, unknown>;
  }
  // Passthrough bodies from other gateways put the fields at the top level.
  if ("message" in record || "code" in record) return record;
  return undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

export interface ErrorResponseInput {
  status: number;
  statusText?: string;
  headers: Headers;
  /** The raw body text. */
  text: string;
  /** Secrets to strip from anything copied out of the body. */
  secrets: readonly string[];
  nowMs: number;
  idempotencyKey?: string | undefined;
  taskId?: string | undefined;
}

/**
 * Builds the typed error for a failed HTTP response. Whatever the body is — the documented
 * `{error:{code,message,type,param}}`, a numeric `code`, an HTML page from a proxy, nothing at
 * all — the class follows the status and the message stays short and secret-free.
 */
export function errorFromResponse(input: ErrorResponseInput): APIError {
  const { status, headers, secrets } = input;
  const parsed = redactJson(parseJson(input.text), secrets);
  const fields = asErrorObject(parsed);
  let apiMessage = str(fields?.message);
  let requestId = requestIdFrom(headers, secrets);
  const suffix = apiMessage?.match(REQUEST_ID_SUFFIX);
  if (apiMessage && suffix) {
    apiMessage = apiMessage.replace(REQUEST_ID_SUFFIX, "");
    requestId ??= suffix[1]?.trim() || undefined;
  }
  const code = typeof fields?.code === "number" || typeof fields?.code === "string" ? fields.code : undefined;

  const detail = apiMessage
    ? redactText(apiMessage, secrets).slice(0, MAX_MESSAGE_CHARS)
    : `the API answered with ${
        fields
          ? "an error without a message"
          : parsed !== undefined
            ? "JSON that is not the documented error shape"
            : describeUnreadableBody(input.text, headers.get("content-type"))
      }`;
  const label = code !== undefined && code !== "" ? ` ${code}` : "";
  const message = `${status}${label}: ${detail}${requestId ? ` (request id: ${requestId})` : ""}`;

  const ErrorClass = errorClassForStatus(status);
  return new ErrorClass(message, {
    status,
    code,
    type: str(fields?.type),
    param: str(fields?.param),
    headers: headersToRecord(headers, secrets),
    requestId,
    retryAfterMs: parseRetryAfterMs(headers.get("retry-after"), input.nowMs),
    body: parsed,
    idempotencyKey: input.idempotencyKey,
    taskId: input.taskId,
  });
}
