/**
 * Error bodies in the shapes of spec/videoretalk.openapi.yaml: `{error:{code,message,type,param?}}`
 * for the generation and task endpoints (the spec's own examples per status), and the Files
 * API's `{success:false, code, msg}` envelope.
 */

/** Which family of endpoints answers; each has its own documented error examples. */
export type RouteKind = "create" | "task" | "files" | "media";

/** The body of an error from the generation and task endpoints. */
export interface ApiErrorBody {
  error: { code: string; message: string; type: string; param?: string };
}

/** The Files API's error envelope. */
export interface FilesErrorBody {
  success: false;
  code: number;
  msg: string;
}

type Example = readonly [code: string, message: string, type: string];

// The spec's examples for POST /v1/videos/generations; 502/503/504 follow the docs' other pages.
const CREATE_EXAMPLES: Record<number, Example> = {
  400: ["missing_required_params", "Missing required parameter: video_url or audio_url", "invalid_request_error"],
  401: ["unauthorized", "Invalid or expired token", "authentication_error"],
  402: ["insufficient_quota", "Insufficient quota. Please top up your account.", "insufficient_quota"],
  403: ["model_access_denied", "Token does not have access to model: videoretalk", "invalid_request_error"],
  404: ["not_found", "The requested resource could not be found", "invalid_request_error"],
  429: ["rate_limit_exceeded", "Too many requests, please try again later", "rate_limit_error"],
  500: ["internal_error", "Internal server error", "api_error"],
  502: ["upstream_error", "Upstream service error, please try again later", "api_error"],
  503: ["service_unavailable", "Service temporarily unavailable, please try again later", "api_error"],
  504: ["gateway_timeout", "The upstream service did not answer in time", "api_error"],
};

// The spec's examples for GET /v1/tasks/{task_id}.
const TASK_EXAMPLES: Record<number, Example> = {
  ...CREATE_EXAMPLES,
  400: ["invalid_task_id", "Invalid task ID format, must start with 'task-unified-'", "invalid_request_error"],
  401: ["unauthorized", "Authentication required", "authentication_error"],
  402: ["quota_exceeded", "Insufficient quota. Please top up your account.", "insufficient_quota"],
  403: ["permission_denied", "You don't have permission to access this task", "invalid_request_error"],
  404: ["task_not_found", "The requested task could not be found", "invalid_request_error"],
  429: ["rate_limit_exceeded", "Rate limit exceeded", "evo_api_error"],
  500: ["internal_error", "Failed to retrieve task status", "api_error"],
};

// Hosted files and results (not in the spec: a CDN's answers, in the API's error shape).
const MEDIA_EXAMPLES: Record<number, Example> = {
  ...CREATE_EXAMPLES,
  403: [
    "access_denied",
    "Access denied: the link may have expired (results are kept for 24 hours)",
    "invalid_request_error",
  ],
  404: ["file_not_found", "The requested file could not be found", "invalid_request_error"],
  410: ["link_expired", "This link has expired (results are kept for 24 hours)", "invalid_request_error"],
};

// The spec's Files API examples (codes from Evolink's clients: 40001 too large, 50001 storage).
const FILES_EXAMPLES: Record<number, readonly [code: number, msg: string]> = {
  400: [40002, "File type not allowed"],
  401: [401, "Invalid or expired token"],
  403: [403, "Forbidden"],
  404: [404, "Not found"],
  413: [40001, "File too large (max 100 MB)"],
  429: [429, "Too many requests, please try again later"],
  500: [50001, "Storage error"],
};

/** The spec's example error body for `status` on a generation or task endpoint. */
export function apiErrorBody(
  route: RouteKind,
  status: number,
  override?: { code?: string; message?: string; param?: string },
): ApiErrorBody {
  const table = route === "task" ? TASK_EXAMPLES : route === "media" ? MEDIA_EXAMPLES : CREATE_EXAMPLES;
  const [code, message, type] = table[status] ?? [
    `http_${status}`,
    `Emulated HTTP ${status} response`,
    status >= 500 ? "api_error" : "invalid_request_error",
  ];
  const error: ApiErrorBody["error"] = { code: override?.code ?? code, message: override?.message ?? message, type };
  if (override?.param !== undefined) error.param = override.param;
  else if (route === "task" && status === 400) error.param = "task_id";
  return { error };
}

/** A `400 invalid_request_error` body naming the offending parameter. */
export function invalidRequest(code: string, message: string, param?: string): ApiErrorBody {
  const error: ApiErrorBody["error"] = { code, message, type: "invalid_request_error" };
  if (param !== undefined) error.param = param;
  return { error };
}

/** The Files API envelope for `status`, optionally with a specific code and message. */
export function filesErrorBody(status: number, override?: { code?: number; msg?: string }): FilesErrorBody {
  const [code, msg] = FILES_EXAMPLES[status] ?? [status, `Emulated HTTP ${status} response`];
  return { success: false, code: override?.code ?? code, msg: override?.msg ?? msg };
}

/** The error body for `status` in the shape of `route`. */
export function errorBodyFor(route: RouteKind, status: number): ApiErrorBody | FilesErrorBody {
  return route === "files" ? filesErrorBody(status) : apiErrorBody(route, status);
}
