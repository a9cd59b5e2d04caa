/**
 * Optional OpenTelemetry tracing without a dependency: the SDK never imports
 * `@opentelemetry/api`. It asks the tracer provider the app registered with it
 * (`trace.setGlobalTracerProvider(...)`, which `NodeSDK.start()` and `provider.register()` call),
 * found through the API's own global registry, or the one passed as `tracerProvider`. Without
 * one, nothing is recorded and no tracing code is loaded: the span code is behind `import()`.
 */

import { redactText } from "../redact.js";

/** An attribute value as OpenTelemetry accepts it. */
export type TraceAttributeValue = string | number | boolean;

/** The part of an OpenTelemetry `Span` the SDK uses. */
export interface SpanLike {
  setAttribute(key: string, value: TraceAttributeValue): unknown;
  addEvent(name: string, attributes?: Record<string, TraceAttributeValue>): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}

/** The part of an OpenTelemetry `Tracer` the SDK uses. */
export interface TracerLike {
  startSpan(name: string, options?: { kind?: number; attributes?: Record<string, TraceAttributeValue> }): SpanLike;
}

/**
 * An OpenTelemetry `TracerProvider`: `trace` from `@opentelemetry/api`, or an SDK provider.
 *
 * @example
 * ```ts
 * import { trace } from "@opentelemetry/api";
 * const client = createVideoRetalk({ tracerProvider: trace });
 * ```
 */
export interface TracerProviderLike {
  getTracer(name: string, version?: string): TracerLike;
}

/** Where `@opentelemetry/api` 1.x keeps what `trace.setGlobalTracerProvider()` registered. */
const OTEL_API_GLOBAL = Symbol.for("opentelemetry.js.api.1");

/**
 * The tracer provider to use: `option` when given, none for `false`, else the provider
 * registered with `@opentelemetry/api` (looked up at each call, so registering later works).
 */
export function tracerProviderFrom(option: TracerProviderLike | false | undefined): TracerProviderLike | undefined {
  if (option !== undefined) return option || undefined;
  return (globalThis as { [OTEL_API_GLOBAL]?: { trace?: TracerProviderLike } })[OTEL_API_GLOBAL]?.trace;
}

/**
 * Runs `run` inside a span named `name` when a tracer provider is registered (see
 * {@link tracerProviderFrom}), else just runs it. The span gets `attributes`, whatever `run`
 * adds, and `error.type` plus an error status when `run` throws. For the SDK's own packages.
 *
 * @example
 * ```ts
 * const task = await traceCall("videoretalk.wait", { "videoretalk.task.id": id }, async (span) => {
 *   const done = await waitForTask(client, id);
 *   span?.setAttribute("videoretalk.task.status", done.status);
 *   return done;
 * });
 * ```
 */
export async function traceCall<T>(
  name: string,
  attributes: Record<string, TraceAttributeValue>,
  run: (span: SpanLike | undefined) => Promise<T>,
  option?: TracerProviderLike | false,
  secrets: readonly string[] = [],
): Promise<T> {
  const provider = tracerProviderFrom(option);
  if (!provider) return run(undefined);
  // Tracing must never fail the traced work: if the span code cannot load, run untraced.
  const spans = await import("./spans.js").catch(() => undefined);
  if (!spans) return run(undefined);
  return spans.runInSpan(provider, name, attributes, run, (text) => redactText(text, secrets));
}
