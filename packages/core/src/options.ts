import { type Clock, systemClock } from "./clock.js";
import { readEnv } from "./env.js";
import { ValidationError } from "./errors.js";
import type { Logger } from "./logger.js";
import { isLoopbackUrlHost } from "./loopback-host.js";
import type { TracerProviderLike } from "./tracing/tracing.js";
import { normalizeHeaders, type TransportConfig } from "./transport.js";

/** The production API. */
export const DEFAULT_BASE_URL = "https://api.evolink.ai";
/** Per-attempt time limit when none is given, in ms. */
export const DEFAULT_TIMEOUT_MS = 60_000;
/** Retries after the first attempt when none is given. */
export const DEFAULT_MAX_RETRIES = 2;
/** Environment variable read for the API key. */
export const API_KEY_ENV = "EVOLINK_API_KEY";
/** Environment variable read for the base URL. */
export const BASE_URL_ENV = "EVOLINK_BASE_URL";
/** The Files API origin. */
export const DEFAULT_FILES_BASE_URL = "https://files-api.evolink.ai";
/** Environment variable read for the Files API origin. */
export const FILES_BASE_URL_ENV = "EVOLINK_FILES_BASE_URL";

/** Options of {@link createVideoRetalk}. */
export interface VideoRetalkOptions {
  /**
   * API key, sent as `Authorization: Bearer …`. Defaults to `process.env.EVOLINK_API_KEY`.
   * `null` means "send no key": the base URL is your own proxy that adds it server-side.
   */
  apiKey?: string | null | undefined;
  /** API origin. Defaults to `process.env.EVOLINK_BASE_URL`, else `https://api.evolink.ai`. */
  baseUrl?: string | undefined;
  /**
   * Files API origin for `files.upload()`. Defaults to `process.env.EVOLINK_FILES_BASE_URL`,
   * else `https://files-api.evolink.ai`.
   */
  filesBaseUrl?: string | undefined;
  /** The `fetch` to use. Defaults to the global `fetch`, looked up at call time. */
  fetch?: typeof fetch | undefined;
  /** Time limit of one attempt, in ms. Default 60 000. */
  timeoutMs?: number | undefined;
  /** Time limit of a whole call, attempts and retry waits included, in ms. Default: none. */
  deadlineMs?: number | undefined;
  /** Retries after the first attempt. Default 2. Creates are only retried where safe. */
  maxRetries?: number | undefined;
  /** Extra headers sent with every request. */
  headers?: Record<string, string> | undefined;
  /**
   * Allow running in a browser. Off by default because a key in a web page is visible to every
   * visitor; serve the API through `@videoretalk/server`'s proxy and pass `apiKey: null` instead.
   */
  dangerouslyAllowBrowser?: boolean | undefined;
  /** Receives retry and diagnostic messages; never the API key. */
  logger?: Logger | undefined;
  /** Time source for timeouts and retry waits (tests inject a fake one). */
  clock?: Clock | undefined;
  /** Random source in [0, 1) for retry jitter (tests inject a fixed one). */
  random?: (() => number) | undefined;
  /**
   * Allow sending the API key over plain `http://` to a host that is not this machine. Off by
   * default: such a `baseUrl` or `filesBaseUrl` is refused with a `ValidationError`, because
   * anyone on the path could read the key. Loopback hosts (`localhost`, 127.0.0.0/8, `[::1]`)
   * and clients with `apiKey: null` (nothing secret is sent) never need it.
   */
  allowInsecureHttp?: boolean | undefined;
  /**
   * OpenTelemetry tracing. Default: the tracer provider registered with `@opentelemetry/api`
   * (`trace.setGlobalTracerProvider`, as `NodeSDK.start()` does), looked up at each call, so
   * calls are traced exactly when the app has set up OpenTelemetry. Pass a provider (or `trace`
   * from `@opentelemetry/api`) to use that one, or `false` to never trace.
   */
  tracerProvider?: TracerProviderLike | false | undefined;
}

/** What every call starts from, in the transport's own terms. */
export type CallDefaults = Pick<
  TransportConfig,
  "fetch" | "headers" | "timeoutMs" | "deadlineMs" | "maxRetries" | "clock" | "random" | "logger"
>;

export interface ResolvedOptions {
  apiKey: string | null | undefined;
  baseUrl: string;
  filesBaseUrl: string;
  dangerouslyAllowBrowser: boolean;
  tracerProvider: TracerProviderLike | false | undefined;
  calls: CallDefaults;
}

/** Throws the `ValidationError` of option `name`, whose message is `name` then `requirement`. */
export function refuseOption(name: string, requirement: string): never {
  throw new ValidationError(name, `${name} ${requirement}.`);
}

function positive(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  // Number.isFinite is false for anything that is not a number.
  if (!(Number.isFinite(value) && value > 0)) {
    refuseOption(name, `must be a positive number of milliseconds, got ${String(value)}`);
  }
  return value;
}

function httpUrl(name: string, value: string): string {
  const trimmed = value.replace(/\/+$/, "");
  let parsed: URL | undefined;
  try {
    parsed = new URL(trimmed);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    refuseOption(name, "must be an absolute http(s) URL");
  }
  return trimmed;
}

/**
 * Refuses a plain-http origin on another machine when a key would be sent to it: the key would
 * cross the network readable by anyone on the path. Loopback stays allowed for emulators and
 * local proxies.
 */
function refuseKeyOverHttp(name: string, origin: string): void {
  const url = new URL(origin);
  if (url.protocol !== "http:" || isLoopbackUrlHost(url.hostname)) return;
  // The unspecified address as a destination reaches this machine too (an emulator bound to
  // 0.0.0.0 prints that origin), so nothing crosses the network.
  if (url.hostname === "0.0.0.0" || url.hostname === "[::]") return;
  refuseOption(
    name,
    `${url.origin} is plain http to another machine, which would expose the API key; use https or allowInsecureHttp: true`,
  );
}

/**
 * Applies defaults and environment variables, and rejects options that can never work.
 *
 * @throws {ValidationError} naming the bad option.
 */
export function resolveOptions(options: VideoRetalkOptions = {}): ResolvedOptions {
  const apiKey = options.apiKey === undefined ? readEnv(API_KEY_ENV) : options.apiKey;
  if (apiKey !== null && apiKey !== undefined) {
    // Printable ASCII without spaces, at least one character: what an HTTP header can carry as-is.
    if (typeof apiKey !== "string" || !/^[\x21-\x7e]+$/.test(apiKey)) {
      refuseOption("apiKey", "must be a non-empty string without whitespace, or null");
    }
  }
  const baseUrl = httpUrl("baseUrl", options.baseUrl ?? readEnv(BASE_URL_ENV) ?? DEFAULT_BASE_URL);
  const filesBaseUrl = httpUrl(
    "filesBaseUrl",
    options.filesBaseUrl ?? readEnv(FILES_BASE_URL_ENV) ?? DEFAULT_FILES_BASE_URL,
  );
  if (typeof apiKey === "string" && options.allowInsecureHttp !== true) {
    refuseKeyOverHttp("baseUrl", baseUrl);
    refuseKeyOverHttp("filesBaseUrl", filesBaseUrl);
  }
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    refuseOption("fetch", "must be a function");
  }
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    refuseOption("maxRetries", `must be a whole number ≥ 0, got ${String(maxRetries)}`);
  }
  const customFetch = options.fetch;
  return {
    apiKey,
    baseUrl,
    filesBaseUrl,
    dangerouslyAllowBrowser: options.dangerouslyAllowBrowser === true,
    tracerProvider: options.tracerProvider,
    calls: {
      // Looked up at call time, so a fetch that test tools or polyfills install later is used.
      fetch: () => customFetch ?? globalThis.fetch,
      headers: normalizeHeaders(options.headers),
      timeoutMs: positive("timeoutMs", options.timeoutMs) ?? DEFAULT_TIMEOUT_MS,
      deadlineMs: positive("deadlineMs", options.deadlineMs),
      maxRetries,
      clock: options.clock ?? systemClock,
      random: options.random ?? Math.random,
      logger: options.logger,
    },
  };
}
