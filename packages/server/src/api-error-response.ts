/**
 * Responses in the API's own error shape (`{ error: { code, message, type, param? } }`), so a
 * browser running `@videoretalk/core` against the proxy maps them to the same error classes as
 * direct API errors (`BadRequestError`, `PermissionDeniedError`, …).
 */

/** The fields of one refusal; `param` names the offending request field, when there is one. */
export interface ApiErrorFields {
  /** A string code; older gateways sent numbers, which are passed through as they came. */
  code: string | number;
  message: string;
  type: string;
  param?: string | undefined;
}

/** The API error body for `fields`: `{ error: { code, message, type, param? } }`. */
export function apiErrorBody(fields: ApiErrorFields): { error: Record<string, string | number> } {
  const error: Record<string, string | number> = { code: fields.code, message: fields.message, type: fields.type };
  if (fields.param !== undefined) error.param = fields.param;
  return { error };
}

/** Builds a JSON response in the API error shape; `headers` are the only extra headers sent. */
export function apiErrorResponse(status: number, fields: ApiErrorFields, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(apiErrorBody(fields)), {
    status,
    headers: { ...headers, "content-type": "application/json" },
  });
}

/** A JSON response with only `Content-Type` set. */
export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** True when a `Content-Type` value is JSON (`application/json` or `application/*+json`, any parameters). */
export function isJsonContentType(value: string | null): boolean {
  if (value === null) return false;
  const essence = value.split(";", 1)[0]?.trim().toLowerCase() ?? "";
  return essence === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(essence);
}
