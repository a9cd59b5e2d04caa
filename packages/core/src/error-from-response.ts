/**
 * Building the typed error of a failed call from its HTTP response. Loaded only when a call
 * fails (through failure-path.ts), so a page whose calls succeed never downloads it.
 */
import { APIError } from "./errors.js";
import type { FailureContext } from "./failure-loader.js";
import { headersToRecord } from "./headers-record.js";
import { redactText } from "./redact.js";
import { redactJson } from "./redact-json.js";
import { parseJson, requestIdFrom } from "./response-parts.js";
import { parseRetryAfterMs } from "./retry.js";
import { errorClassForStatus } from "./status-error-class.js";
import type { BufferedResponse } from "./transport.js";

const MAX_MESSAGE_CHARS = 300;
// Gateways append "(request id: …)" to messages; it belongs in `requestId`, not the text.
const REQUEST_ID_SUFFIX = /\s*\(request id: ([^)]*)\)\s*$/i;

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

/**
 * The error for a 2xx answer that is not what the operation returns (not JSON: `body` is
 * `undefined`; or JSON of another shape, described by `shape`): a base `APIError`, because the call may well have
 * succeeded and the caller must not assume it did not.
 */
export function unexpectedBodyError(
  response: BufferedResponse,
  body: unknown,
  context: Pick<FailureContext, "secrets" | "taskId">,
  shape: string,
): APIError {
  const requestId = requestIdFrom(response.headers, context.secrets);
  const what =
    body === undefined
      ? describeUnreadableBody(response.text, response.headers.get("content-type"))
      : `JSON that is not ${shape}`;
  return new APIError(
    `${response.status}: the API answered with ${what}${requestId ? ` (request id: ${requestId})` : ""}.`,
    {
      status: response.status,
      requestId,
      headers: headersToRecord(response.headers, context.secrets),
      body: redactJson(body, context.secrets),
      idempotencyKey: response.idempotencyKey,
      taskId: context.taskId,
    },
  );
}
