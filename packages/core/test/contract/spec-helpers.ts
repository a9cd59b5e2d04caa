/**
 * Shared by the contract suite: the OpenAPI document parsed from spec/ (so the tests are driven by
 * the spec's own examples and statuses), the expected error class per documented status, and a
 * `fetch` recorder that fails the test when Prism reports a request that is off-spec.
 */
import { readFileSync } from "node:fs";
import { afterEach, expect, inject } from "vitest";
import { parse } from "yaml";
import {
  type APIError,
  AuthenticationError,
  BadRequestError,
  createVideoRetalk,
  InsufficientCreditsError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  type VideoRetalkClient,
  type VideoRetalkOptions,
} from "../../src/index.js";

// ---------------------------------------------------------------------------------------------
// The spec
// ---------------------------------------------------------------------------------------------

export const SPEC_PATH = new URL("../../../../spec/videoretalk.openapi.yaml", import.meta.url);

export interface ExampleObject {
  summary?: string;
  value: unknown;
}

export interface SchemaObject {
  type?: string | string[];
  format?: string;
  pattern?: string;
  required?: string[];
  properties?: Record<string, SchemaObject>;
  enum?: unknown[];
  example?: unknown;
  [key: string]: unknown;
}

export interface MediaTypeObject {
  schema?: SchemaObject;
  example?: unknown;
  examples?: Record<string, ExampleObject>;
}

export interface HeaderObject {
  schema?: SchemaObject;
  example?: unknown;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, MediaTypeObject>;
}

export interface ParameterObject {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: SchemaObject;
  example?: unknown;
}

export interface OperationObject {
  operationId: string;
  tags?: string[];
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content: Record<string, MediaTypeObject> };
  responses: Record<string, ResponseObject>;
  security?: unknown[];
}

export interface ServerObject {
  url: string;
  description?: string;
}

type PathItem = { servers?: ServerObject[]; parameters?: ParameterObject[] } & Partial<
  Record<HttpMethod, OperationObject>
>;

export interface OpenApiDocument {
  openapi: string;
  servers?: ServerObject[];
  paths: Record<string, PathItem>;
  components?: { schemas?: Record<string, SchemaObject>; [key: string]: unknown };
  [key: string]: unknown;
}

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

function pointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) throw new Error(`Only local $refs are supported, got ${ref}`);
  let node: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (node === null || typeof node !== "object" || !(key in node)) throw new Error(`Unresolvable $ref ${ref}`);
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A deep copy of `node` with every local `$ref` replaced by its target (cycles are left as `$ref`s). */
function dereference(doc: unknown, node: unknown, stack: readonly string[] = []): unknown {
  if (Array.isArray(node)) return node.map((item) => dereference(doc, item, stack));
  if (node === null || typeof node !== "object") return node;
  const record = node as Record<string, unknown>;
  const ref = record.$ref;
  if (typeof ref === "string") {
    if (stack.includes(ref)) return record;
    // OpenAPI 3.1 allows siblings next to $ref (e.g. `description`); the target's fields win.
    const { $ref: _ignored, ...siblings } = record;
    const target = dereference(doc, pointer(doc, ref), [...stack, ref]);
    return target !== null && typeof target === "object" && !Array.isArray(target)
      ? { ...siblings, ...(target as Record<string, unknown>) }
      : target;
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) out[key] = dereference(doc, value, stack);
  return out;
}

/** The contract, parsed from YAML with every local `$ref` resolved. */
export const spec: OpenApiDocument = (() => {
  const parsed: unknown = parse(readFileSync(SPEC_PATH, "utf8"));
  return dereference(parsed, parsed) as OpenApiDocument;
})();

export interface LocatedOperation {
  path: string;
  method: HttpMethod;
  operation: OperationObject;
  /** Path-level `servers`, when the path overrides the document's. */
  servers: ServerObject[] | undefined;
}

/** Every operation under `paths` (webhooks are not requests the SDK sends). */
export function allOperations(): LocatedOperation[] {
  const out: LocatedOperation[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation) out.push({ path, method, operation, servers: item.servers });
    }
  }
  return out;
}

export function findOperation(operationId: string): LocatedOperation {
  const found = allOperations().find((entry) => entry.operation.operationId === operationId);
  if (!found) throw new Error(`operationId ${operationId} is not in ${SPEC_PATH.pathname}`);
  return found;
}

const JSON_MEDIA = "application/json";

export function response(operation: OperationObject, status: number): ResponseObject {
  const found = operation.responses[String(status)];
  if (!found) throw new Error(`${operation.operationId} documents no ${status} response`);
  return found;
}

/** The JSON examples of one response: its named `examples`, else its single `example` as `default`. */
export function responseExamples(operation: OperationObject, status: number): Record<string, unknown> {
  const media = response(operation, status).content?.[JSON_MEDIA];
  if (!media) throw new Error(`${operation.operationId} ${status} has no ${JSON_MEDIA} content`);
  if (media.examples) {
    return Object.fromEntries(Object.entries(media.examples).map(([name, example]) => [name, example.value]));
  }
  if (media.example !== undefined) return { default: media.example };
  throw new Error(`${operation.operationId} ${status} has no example`);
}

/** The one example of a response (its first named example when there are several). */
export function responseExample(operation: OperationObject, status: number): unknown {
  const [first] = Object.values(responseExamples(operation, status));
  return first;
}

/** The named request-body examples of an operation, for `mediaType`. */
export function requestExamples(operation: OperationObject, mediaType = JSON_MEDIA): Record<string, unknown> {
  const media = operation.requestBody?.content[mediaType];
  if (!media) throw new Error(`${operation.operationId} takes no ${mediaType} body`);
  if (media.examples) {
    return Object.fromEntries(Object.entries(media.examples).map(([name, example]) => [name, example.value]));
  }
  if (media.example !== undefined) return { default: media.example };
  return {};
}

/** Every documented status code of an operation ≥ 400, ascending. */
export function errorStatuses(operation: OperationObject): number[] {
  return Object.keys(operation.responses)
    .map(Number)
    .filter((status) => Number.isInteger(status) && status >= 400)
    .sort((a, b) => a - b);
}

/** Every documented 2xx status of an operation, ascending. */
export function successStatuses(operation: OperationObject): number[] {
  return Object.keys(operation.responses)
    .map(Number)
    .filter((status) => status >= 200 && status < 300)
    .sort((a, b) => a - b);
}

/** A response header's example, looked up case-insensitively. */
export function responseHeaderExample(operation: OperationObject, status: number, name: string): string | undefined {
  const headers = response(operation, status).headers ?? {};
  const key = Object.keys(headers).find((header) => header.toLowerCase() === name.toLowerCase());
  const example = key === undefined ? undefined : headers[key]?.example;
  return example === undefined ? undefined : String(example);
}

export function headerParameter(operation: OperationObject, name: string): ParameterObject {
  const found = operation.parameters?.find(
    (parameter) => parameter.in === "header" && parameter.name.toLowerCase() === name.toLowerCase(),
  );
  if (!found) throw new Error(`${operation.operationId} has no ${name} header parameter`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

type APIErrorClass = abstract new (...args: never[]) => APIError;

/**
 * The class each documented HTTP status must map to. A status added to the spec without an entry
 * here fails the suite (see `expectedErrorClass`), so nobody forgets to decide its class.
 */
export const ERROR_CLASS_BY_STATUS: Readonly<Record<number, APIErrorClass>> = {
  400: BadRequestError,
  401: AuthenticationError,
  402: InsufficientCreditsError,
  403: PermissionDeniedError,
  404: NotFoundError,
  429: RateLimitError,
  500: InternalServerError,
};

export function expectedErrorClass(status: number): APIErrorClass {
  const errorClass = ERROR_CLASS_BY_STATUS[status];
  if (!errorClass) {
    throw new Error(`The spec documents HTTP ${status}, but the contract suite has no expected error class for it.`);
  }
  return errorClass;
}

/** The `error` object of a documented `{ error: { code, message, type, param? } }` example. */
export interface ErrorExample {
  code?: string | number;
  message?: string;
  type?: string;
  param?: string;
}

export function errorExample(operation: OperationObject, status: number): { body: unknown; error: ErrorExample } {
  const body = responseExample(operation, status);
  const error = (body as { error?: ErrorExample } | null)?.error;
  if (error === null || typeof error !== "object") {
    throw new Error(`${operation.operationId} ${status}: the example has no \`error\` object`);
  }
  return { body, error };
}

/** Awaits a promise that must reject, and returns what it rejected with. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("Expected the call to reject, but it resolved.");
}

// ---------------------------------------------------------------------------------------------
// Prism and the recorder
// ---------------------------------------------------------------------------------------------

/** The Prism mock started by prism-global-setup.ts. */
export const prismUrl: string = inject("prismUrl");

/** One entry of Prism's `sl-violations` response header. */
export interface Violation {
  location: string[];
  severity: string;
  code: string | number;
  message: string;
}

export interface Exchange {
  method: string;
  url: string;
  requestHeaders: Headers;
  /** The body as handed to `fetch`; a streamed body is recorded as the bytes that were sent. */
  requestBody: unknown;
  status: number;
  /** Parsed `sl-violations`; `undefined` when Prism found the request on-spec. */
  violations: Violation[] | undefined;
}

export interface Recorder {
  /** Pass as the client's `fetch` option. */
  readonly fetch: typeof fetch;
  readonly exchanges: Exchange[];
  /** The single exchange recorded so far; throws unless there is exactly one. */
  only(): Exchange;
  /** Throws (failing the test) if Prism flagged any recorded request as off-spec. */
  assertOnSpec(): void;
  reset(): void;
}

function describeExchange(exchange: Exchange): string {
  const lines = (exchange.violations ?? []).map(
    (violation) => `    ${violation.location.join(".")}: ${violation.message} (${violation.code})`,
  );
  return `  ${exchange.method} ${exchange.url} → ${exchange.status}\n${lines.join("\n")}`;
}

/** A `fetch` that forwards to the global one and records every request and Prism's verdict on it. */
export function createRecorder(): Recorder {
  const exchanges: Exchange[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const isRequest = typeof input === "object" && "method" in input;
    const url = typeof input === "string" ? input : isRequest ? input.url : input.href;
    const method = (init?.method ?? (isRequest ? input.method : "GET")).toUpperCase();
    const requestHeaders = new Headers(init?.headers ?? (isRequest ? input.headers : undefined));
    let forwarded = init;
    let streamCopy: Promise<Uint8Array> | undefined;
    if (init?.body instanceof ReadableStream) {
      // A streamed body (files.upload) can be read once: send one branch, keep the other.
      const [sent, kept] = init.body.tee();
      forwarded = { ...init, body: sent };
      streamCopy = new Response(kept).arrayBuffer().then((buffer) => new Uint8Array(buffer));
      // If the upload fails, fetch reports it; the copy's own rejection is not news.
      streamCopy.catch(() => undefined);
    }
    const result = await fetch(input, forwarded);
    const header = result.headers.get("sl-violations");
    exchanges.push({
      method,
      url,
      requestHeaders,
      requestBody: streamCopy
        ? await streamCopy
        : init?.body instanceof ArrayBuffer
          ? new Uint8Array(init.body)
          : init?.body,
      status: result.status,
      violations: header === null ? undefined : (JSON.parse(header) as Violation[]),
    });
    return result;
  };
  return {
    fetch: recordingFetch,
    exchanges,
    only() {
      expect(exchanges, "exactly one request should have been sent").toHaveLength(1);
      return exchanges[0] as Exchange;
    },
    assertOnSpec() {
      const offending = exchanges.filter((exchange) => exchange.violations !== undefined);
      if (offending.length > 0) {
        throw new Error(
          `Prism found ${offending.length} off-spec request(s) (sl-violations):\n${offending.map(describeExchange).join("\n")}`,
        );
      }
    },
    reset() {
      exchanges.length = 0;
    },
  };
}

/**
 * A recorder checked after every test of the enclosing `describe`: each test must have sent at
 * least one request, and Prism must have found every one of them on-spec.
 */
export function useOnSpecRecorder(): Recorder {
  const recorder = createRecorder();
  afterEach(() => {
    try {
      expect(recorder.exchanges.length, "the test sent no request to Prism").toBeGreaterThan(0);
      recorder.assertOnSpec();
    } finally {
      recorder.reset();
    }
  });
  return recorder;
}

export const API_KEY = "sk-contract-0001";

/** A client pointed at Prism whose traffic goes through `recorder`. */
export function contractClient(recorder: Recorder, options: VideoRetalkOptions = {}): VideoRetalkClient {
  return createVideoRetalk({ apiKey: API_KEY, baseUrl: prismUrl, fetch: recorder.fetch, ...options });
}

/** `Prefer` header values understood by Prism. */
export const prefer = {
  example: (name: string) => ({ Prefer: `example=${name}` }),
  code: (status: number) => ({ Prefer: `code=${status}` }),
};

/** The violation Prism reports for a request without the `bearerAuth` security scheme. */
export function isMissingSecurityViolation(violation: Violation): boolean {
  return violation.code === 401 && violation.location.join(".") === "request";
}

/**
 * Asserts that `error` is the typed error the spec documents for `status` of `operation`: its
 * class, and the code, type, param, message and body of the spec's example, plus the example's
 * `X-Request-Id` and `Retry-After` headers where the spec gives them. Returns it, typed.
 */
export function expectDocumentedError(error: unknown, operation: OperationObject, status: number): APIError {
  const { body, error: documented } = errorExample(operation, status);
  expect(error).toBeInstanceOf(expectedErrorClass(status));
  const apiError = error as APIError;
  expect(apiError.status).toBe(status);
  expect(apiError.code).toBe(documented.code);
  expect(apiError.type).toBe(documented.type);
  expect(apiError.param).toBe(documented.param);
  expect(apiError.message).toContain(String(documented.message));
  expect(apiError.body).toEqual(body);
  const requestId = responseHeaderExample(operation, status, "X-Request-Id");
  if (requestId !== undefined) expect(apiError.requestId).toBe(requestId);
  const retryAfter = responseHeaderExample(operation, status, "Retry-After");
  if (retryAfter !== undefined) expect(apiError.retryAfterMs).toBe(Number(retryAfter) * 1000);
  return apiError;
}
