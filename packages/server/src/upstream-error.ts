import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  RequestAbortedError,
  requestIdOf,
  ValidationError,
} from "@videoretalk/core";
import type { ApiErrorFields } from "./api-error-response.js";

/** What the browser gets for a failed upstream call: status, API-shaped fields, safe headers. */
export interface MappedError {
  status: number;
  fields: ApiErrorFields;
  headers: Record<string, string>;
  /** True when the failure is the server's fault and worth reporting to `onError`. */
  report: boolean;
}

const MAX_MESSAGE_CHARS = 1000;
const REQUEST_ID_PATTERN = /^[\x21-\x7e]{1,200}$/;

/**
 * Whether a request id may be passed to the browser: printable, short, and not one core had to
 * redact (a gateway that echoes the key into its request id; the mangled id helps nobody).
 */
function isForwardableRequestId(requestId: string | undefined): requestId is string {
  return requestId !== undefined && REQUEST_ID_PATTERN.test(requestId) && !requestId.includes("[redacted]");
}
// Retry-After is delay-seconds or an IMF-fixdate (RFC 9110 §10.2.3); nothing else is passed on.
const RETRY_AFTER_PATTERN = /^(\d{1,10}|[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT)$/;

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value.slice(0, MAX_MESSAGE_CHARS) : undefined;
}

/** The `error` object of an upstream body (documented or top-level passthrough variant). */
function errorObjectOf(body: unknown): Record<string, unknown> | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const inner = record.error;
  if (inner !== null && typeof inner === "object" && !Array.isArray(inner)) return inner as Record<string, unknown>;
  if ("message" in record || "code" in record) return record;
  return undefined;
}

/** Only the documented fields of an upstream error are passed on, and only as plain values. */
function fieldsFromApiError(error: APIError): ApiErrorFields {
  const inner = errorObjectOf(error.body);
  const rawCode = inner?.code ?? error.code;
  const code =
    typeof rawCode === "number" || (typeof rawCode === "string" && rawCode !== "") ? rawCode : "upstream_error";
  return {
    code: typeof code === "string" ? code.slice(0, 100) : code,
    message: text(inner?.message) ?? `The VideoRetalk API answered with HTTP ${error.status}.`,
    type: text(inner?.type) ?? error.type ?? (error.status >= 500 ? "api_error" : "invalid_request_error"),
    param: text(inner?.param) ?? error.param,
  };
}

/** `X-Request-Id` of the upstream response a task came from, when it has a safe shape. */
export function requestIdHeader(task: object): Record<string, string> {
  const requestId = requestIdOf(task);
  return isForwardableRequestId(requestId) ? { "x-request-id": requestId } : {};
}

function safeHeaders(error: APIError): Record<string, string> {
  const headers: Record<string, string> = {};
  const requestId = error.requestId;
  if (isForwardableRequestId(requestId)) headers["x-request-id"] = requestId;
  const retryAfter = error.headers["retry-after"]?.trim();
  if (retryAfter !== undefined && RETRY_AFTER_PATTERN.test(retryAfter)) headers["retry-after"] = retryAfter;
  return headers;
}

/**
 * Turns whatever a core call threw into the response the browser gets. API errors keep their
 * status and documented fields (already redacted by core), plus `X-Request-Id` and
 * `Retry-After`; everything else becomes a short, detail-free message.
 */
export function mapUpstreamError(error: unknown): MappedError {
  if (error instanceof APIError) {
    if (error.status < 400 || error.status > 599) {
      return {
        status: 502,
        fields: {
          code: "upstream_error",
          message: "The VideoRetalk API answered with a response the server could not read.",
          type: "api_error",
        },
        headers: safeHeaders(error),
        report: true,
      };
    }
    // 401/402/403 are about the server's key (invalid, out of credits, not allowed), not the
    // browser's: the browser still gets the API's answer, and the operator hears about it.
    const serverKeyProblem = error.status === 401 || error.status === 402 || error.status === 403;
    return {
      status: error.status,
      fields: fieldsFromApiError(error),
      headers: safeHeaders(error),
      report: serverKeyProblem,
    };
  }
  if (error instanceof APITimeoutError) {
    return {
      status: 504,
      fields: { code: "upstream_timeout", message: "The VideoRetalk API did not answer in time.", type: "api_error" },
      headers: {},
      report: true,
    };
  }
  if (error instanceof APIConnectionError) {
    return {
      status: 502,
      fields: { code: "upstream_error", message: "The server could not reach the VideoRetalk API.", type: "api_error" },
      headers: {},
      report: true,
    };
  }
  if (error instanceof RequestAbortedError) {
    // The browser went away; nginx's 499 says so in access logs. Nobody reads the body.
    return {
      status: 499,
      fields: { code: "client_closed_request", message: "The request was aborted.", type: "invalid_request_error" },
      headers: {},
      report: false,
    };
  }
  if (error instanceof ValidationError && error.field === "task_id") {
    return {
      status: 400,
      fields: { code: "invalid_parameter", message: error.message, type: "invalid_request_error", param: "task_id" },
      headers: {},
      report: false,
    };
  }
  // A missing API key, a bad client option or a bug: the server's problem, never described.
  return { status: 500, fields: internalError(), headers: {}, report: true };
}

/** The fields of a 500 that says nothing about why. */
export function internalError(): ApiErrorFields {
  return {
    code: "internal_error",
    message: "The server failed to handle this request.",
    type: "api_error",
  };
}
