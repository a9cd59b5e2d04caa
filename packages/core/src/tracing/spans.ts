import type { BufferedResponse } from "../transport.js";
import type { SpanLike, TraceAttributeValue, TracerProviderLike } from "./tracing.js";

// OpenTelemetry's numeric enums (SpanKind, SpanStatusCode), stable across @opentelemetry/api 1.x.
const SPAN_KIND_INTERNAL = 0;
const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;
const TRACER_NAME = "@videoretalk/core";

/** What the transport reports about one API call while its span is open. */
export interface CallObserver {
  /** An attempt starts (1 for the first). */
  attempt(attempt: number): void;
  /** The last attempt failed for `reason` and is retried after `delayMs`. */
  retry(reason: string, delayMs: number): void;
  /** The call ended with `response` (any HTTP status) or threw `error`. */
  end(response: BufferedResponse | undefined, error?: unknown): void;
}

/** The request being traced, as the transport knows it. */
export interface TracedRequest {
  method: string;
  url: string;
  /** The path template, e.g. `/v1/tasks/{task_id}`, when the operation declares one. */
  route?: string | undefined;
}

/**
 * Removes the API key from a string (the client's `redactText` with its secrets). Passed in
 * rather than imported, so this lazily loaded module shares no code with the main chunk.
 */
export type Redact = (text: string) => string;

/** Every string attribute passes through here: the API key must never reach a span. */
function safe(value: TraceAttributeValue, redact: Redact): TraceAttributeValue {
  return typeof value === "string" ? redact(value) : value;
}

function setAttributes(span: SpanLike, attributes: Record<string, TraceAttributeValue>, redact: Redact) {
  for (const [key, value] of Object.entries(attributes)) span.setAttribute(key, safe(value, redact));
}

/** `error.type` and an error status from a thrown value; the message is redacted again. */
function recordError(span: SpanLike, error: unknown, redact: Redact): void {
  const name = error instanceof Error ? error.name : "Error";
  span.setAttribute("error.type", safe(name, redact));
  const message = error instanceof Error ? error.message : String(error);
  span.setStatus({ code: STATUS_ERROR, message: redact(message) });
}

/** A span call that cannot throw into the traced work (a broken exporter stays out of the call). */
function quietly<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      fn(...args);
    } catch {
      // Tracing never fails a call.
    }
  };
}

/** `url.full` without query, fragment or user info (signed URLs carry tokens in the query). */
export function urlAttributes(url: string): Record<string, TraceAttributeValue> {
  try {
    const parsed = new URL(url);
    const port = parsed.port ? Number(parsed.port) : parsed.protocol === "https:" ? 443 : 80;
    return {
      "url.full": `${parsed.protocol}//${parsed.host}${parsed.pathname}`,
      "server.address": parsed.hostname,
      "server.port": port,
    };
  } catch {
    return {};
  }
}

/** The `task_id` path parameter, read from the path by its place in the route template. */
function taskIdFromPath(route: string | undefined, url: string): string | undefined {
  if (!route?.includes("{task_id}")) return undefined;
  const index = route.split("/").indexOf("{task_id}");
  try {
    const segment = new URL(url).pathname.split("/")[index];
    return segment === undefined ? undefined : decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The `id` of a task in a successful JSON answer (create returns the new task's id). */
function taskIdFromBody(response: BufferedResponse): string | undefined {
  if (!response.ok || !response.text.startsWith("{")) return undefined;
  try {
    const id = (JSON.parse(response.text) as { id?: unknown }).id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Opens the CLIENT span of one API call with the HTTP semantic-convention attributes; the
 * transport reports attempts, retries and the outcome to the returned observer.
 */
export function startCallSpan(provider: TracerProviderLike, request: TracedRequest, redact: Redact): CallObserver {
  const method = request.method.toUpperCase();
  const span = provider.getTracer(TRACER_NAME).startSpan(request.route ? `${method} ${request.route}` : method, {
    kind: SPAN_KIND_CLIENT,
  });
  setAttributes(span, { "http.request.method": method, ...urlAttributes(request.url) }, redact);
  if (request.route) span.setAttribute("http.route", request.route);
  const pathTaskId = taskIdFromPath(request.route, request.url);
  if (pathTaskId) span.setAttribute("videoretalk.task.id", safe(pathTaskId, redact));
  let attempts = 0;
  return {
    attempt(attempt) {
      attempts = attempt;
    },
    retry: quietly((reason: string, delayMs: number) => {
      span.addEvent("videoretalk.retry", {
        "videoretalk.retry.attempt": attempts,
        "videoretalk.retry.reason": safe(reason, redact),
        "videoretalk.retry.delay_ms": delayMs,
      });
    }),
    end: quietly((response: BufferedResponse | undefined, error?: unknown) => {
      span.setAttribute("videoretalk.attempts", attempts);
      if (attempts > 1) span.setAttribute("http.request.resend_count", attempts - 1);
      if (response) {
        span.setAttribute("http.response.status_code", response.status);
        const bodyTaskId = pathTaskId ? undefined : taskIdFromBody(response);
        if (bodyTaskId) span.setAttribute("videoretalk.task.id", safe(bodyTaskId, redact));
        if (response.status >= 400) {
          span.setAttribute("error.type", String(response.status));
          span.setStatus({ code: STATUS_ERROR });
        }
      } else {
        recordError(span, error, redact);
      }
      span.end();
    }),
  };
}

/**
 * Runs `run` in an INTERNAL span; see `traceCall`. A `url.full` attribute is reduced to
 * scheme, host and path (with `server.address` and `server.port` added), and everything `run`
 * records goes through the same redaction; the span is ended here, whatever `run` does.
 */
export async function runInSpan<T>(
  provider: TracerProviderLike,
  name: string,
  attributes: Record<string, TraceAttributeValue>,
  run: (span: SpanLike | undefined) => Promise<T>,
  redact: Redact,
): Promise<T> {
  let span: SpanLike;
  try {
    span = provider.getTracer(TRACER_NAME).startSpan(name, { kind: SPAN_KIND_INTERNAL });
    const { "url.full": url, ...rest } = attributes;
    setAttributes(span, { ...rest, ...(typeof url === "string" ? urlAttributes(url) : {}) }, redact);
  } catch {
    return run(undefined); // Tracing never fails the traced work.
  }
  const guarded: SpanLike = {
    setAttribute: quietly((key: string, value: TraceAttributeValue) => span.setAttribute(key, safe(value, redact))),
    addEvent: quietly((eventName: string, eventAttributes: Record<string, TraceAttributeValue> = {}) => {
      const clean: Record<string, TraceAttributeValue> = {};
      for (const [key, value] of Object.entries(eventAttributes)) clean[key] = safe(value, redact);
      span.addEvent(eventName, clean);
    }),
    setStatus: quietly((status: { code: number; message?: string }) =>
      span.setStatus(status.message === undefined ? status : { ...status, message: redact(status.message) }),
    ),
    end: () => {},
  };
  try {
    return await run(guarded);
  } catch (error) {
    quietly(recordError)(span, error, redact);
    throw error;
  } finally {
    quietly(() => span.end())();
  }
}
