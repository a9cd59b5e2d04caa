import type { paths } from "./generated/schema.js";
import type { RequestOptions } from "./request-options.js";
import type { ResourceContext } from "./resources/context.js";
import type { RetryPolicy } from "./retry.js";
import type { BufferedResponse, TransportRequest } from "./transport.js";

/**
 * The one place where an API operation is declared: its path (typed from the generated `paths`,
 * so a path the spec does not have fails to compile), its method, and its retry policy.
 * Resources send requests through {@link sendOperation} instead of building URLs themselves.
 *
 * The retry policy is declared, not derived from the method: a POST that only reads (the batch
 * task read) is as safe to repeat as a GET, while a POST that creates (and bills) is retried
 * only where no second task can result.
 */

type HttpMethod = "get" | "post" | "put" | "delete" | "patch";

/** The methods the spec defines for `P`. */
export type MethodOf<P extends keyof paths> = {
  [M in HttpMethod]: paths[P][M] extends undefined ? never : M;
}[HttpMethod];

type OperationAt<P extends keyof paths, M extends MethodOf<P>> = NonNullable<paths[P][M]>;

/** The JSON body of the 200 answer of an operation. */
export type SuccessBody<P extends keyof paths, M extends MethodOf<P>> =
  OperationAt<P, M> extends {
    responses: { 200: { content: { "application/json": infer B } } };
  }
    ? B
    : never;

/** The JSON request body of an operation (`never` when it takes none). */
export type RequestBody<P extends keyof paths, M extends MethodOf<P>> =
  OperationAt<P, M> extends {
    requestBody: { content: { "application/json": infer B } };
  }
    ? B
    : never;

/** The path parameters of an operation (`never` when it has none). */
export type PathParams<P extends keyof paths, M extends MethodOf<P>> =
  OperationAt<P, M> extends {
    parameters: { path: infer Q };
  }
    ? Q
    : never;

/** A declared operation. */
export interface Operation<P extends keyof paths, M extends MethodOf<P>> {
  readonly path: P;
  readonly method: M;
  /** `"read"`: retried on any transient failure, no idempotency key. `"create"`: see {@link RetryPolicy}. */
  readonly retry: RetryPolicy;
}

/** Declares an operation; see the module comment. */
export function defineOperation<P extends keyof paths, M extends MethodOf<P>>(
  path: P,
  method: M,
  retry: RetryPolicy,
): Operation<P, M> {
  return { path, method, retry };
}

/** Every operation of the main API the resources call. Add a line here for a new endpoint. */
export const OPERATIONS = {
  createVideoRetalkGeneration: defineOperation("/v1/videos/generations", "post", "create"),
  getTaskDetail: defineOperation("/v1/tasks/{task_id}", "get", "read"),
  batchGetTasks: defineOperation("/v1/tasks/batch", "post", "read"),
  getCredits: defineOperation("/v1/credits", "get", "read"),
} as const;

/** What one call of an operation sends besides the client's defaults. */
export interface OperationInput<P extends keyof paths, M extends MethodOf<P>> {
  /** Path parameters; each is percent-encoded into one path segment. */
  pathParams?: PathParams<P, M> | undefined;
  body?: RequestBody<P, M> | undefined;
  headers?: Record<string, string> | undefined;
}

/** `/v1/tasks/{task_id}` with `{ task_id: "a/b" }` → `/v1/tasks/a%2Fb`. */
export function expandPath(template: string, params: Record<string, unknown> | undefined): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new TypeError(`Missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}

/**
 * Sends one call of a declared operation through the client's transport (authentication,
 * timeouts, retries under the operation's policy) and resolves with the buffered response,
 * HTTP errors included; the resource decides how to read it.
 */
export function sendOperation<P extends keyof paths, M extends MethodOf<P>>(
  ctx: ResourceContext,
  operation: Operation<P, M>,
  input: OperationInput<P, M>,
  options: RequestOptions = {},
): Promise<BufferedResponse> {
  const path = expandPath(operation.path, input.pathParams as Record<string, unknown> | undefined);
  const headers: Record<string, string> = { ...options.headers, ...input.headers };
  const request: TransportRequest = {
    method: operation.method.toUpperCase(),
    url: ctx.baseUrl + path,
    path,
    headers,
    // A read never needs an idempotency key, whatever its method.
    idempotencyKey: operation.retry === "create",
    retryPolicy: operation.retry,
    route: operation.path,
  };
  if (input.body !== undefined) {
    headers["content-type"] = "application/json";
    request.body = JSON.stringify(input.body);
  }
  return ctx.transport.request(request, options);
}
