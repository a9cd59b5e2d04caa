import type { APIError } from "../errors.js";
import { headersToRecord } from "../headers-record.js";
import { redactText } from "../redact.js";
import { redactJson } from "../redact-json.js";
import { requestIdFrom } from "../response-parts.js";
import { parseRetryAfterMs } from "../retry.js";
import { errorClassForStatus } from "../status-error-class.js";

/** The Files API envelope: `{ success, code, msg, data }`. */
export interface FilesEnvelope {
  success?: unknown;
  code?: unknown;
  msg?: unknown;
  data?: unknown;
}

/**
 * The HTTP-like status behind a `{success:false}` envelope: the HTTP status when it is an error,
 * else the envelope code read as one (`401` → 401, `40001` → 400, `50001` → 500).
 */
export function filesErrorStatus(httpStatus: number, code: unknown): number {
  if (httpStatus >= 400) return httpStatus;
  const numeric = typeof code === "number" ? code : Number(code);
  if (Number.isInteger(numeric)) {
    if (numeric >= 400 && numeric <= 599) return numeric;
    if (numeric >= 10000 && numeric <= 59999) return Math.floor(numeric / 100);
  }
  return 500;
}

/** Builds the typed error for a failed Files API call. */
export function filesError(input: {
  httpStatus: number;
  headers: Headers;
  envelope: FilesEnvelope | undefined;
  detail: string;
  secrets: readonly string[];
  nowMs: number;
}): APIError {
  const { envelope, secrets } = input;
  const status = filesErrorStatus(input.httpStatus, envelope?.code);
  const code = typeof envelope?.code === "number" || typeof envelope?.code === "string" ? envelope.code : undefined;
  const msg =
    typeof envelope?.msg === "string" && envelope.msg !== "" ? redactText(envelope.msg, secrets) : input.detail;
  const requestId = requestIdFrom(input.headers, secrets);
  const ErrorClass = errorClassForStatus(status);
  return new ErrorClass(
    `Upload failed: ${status}${code !== undefined && String(code) !== String(status) ? ` ${code}` : ""}: ${msg.slice(0, 300)}${requestId ? ` (request id: ${requestId})` : ""}`,
    {
      status,
      code,
      headers: headersToRecord(input.headers, secrets),
      requestId,
      retryAfterMs: parseRetryAfterMs(input.headers.get("retry-after"), input.nowMs),
      body: redactJson(envelope, secrets),
    },
  );
}
