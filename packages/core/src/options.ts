import { type Clock, systemClock } from "./clock.js";
import { readEnv } from "./env.js";
import { ValidationError } from "./errors.js";
import type { Logger } from "./logger.js";
import { isLoopbackHost } from "./loopback-host.js";
import type { TracerProviderLike } from "./tracing/tracing.js";

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

export interface ResolvedOptions {
  apiKey: string | null | undefined;
  baseUrl: string;
  filesBaseUrl: string;
  fetch: typeof fetch | undefined;
  timeoutMs: number;
  deadlineMs: number | undefined;
  maxRetries: number;
  headers: Record<string, string>;
  dangerouslyAllowBrowser: boolean;
  logger: Logger | undefined;
  clock: Clock;
  random: () => number;
  tracerProvider: TracerProviderLike | false | undefined;
}

/** Throws the `ValidationError` of option `name`, whose message is `name` then `requirement`. */
export function refuseOption(name: string, requirement: string): never {
  throw new ValidationError(name, `${name} ${requirement}.`);
}

function positive(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
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
  if (url.protocol !== "http:" || isLoopbackHost(url.hostname)) return;
  // The unspecified address as a destination reaches this machine too (an emulator bound to
  // 0.0.0.0 prints that origin), so nothing crosses the network.
  if (url.hostname === "0.0.0.0" || url.hostname === "[::]") return;
  refuseOption(
    name,
    `${url.origin} is plain http to another machine, where the API key would travel unencrypted; use https, a loopback host, or allowInsecureHttp: true`,
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
    if (typeof apiKey !== "string" || apiKey.trim() === "" || !/^[\x21-\x7e]+$/.test(apiKey)) {
      refuseOption("apiKey", "must be a non-empty string without whitespace, or null to send none");
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
    refuseOption("fetch", "must be a function like the global fetch");
  }
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    refuseOption("maxRetries", `must be a whole number ≥ 0, got ${String(maxRetries)}`);
  }
  return {
    apiKey,
    baseUrl,
    filesBaseUrl,
    fetch: options.fetch,
    timeoutMs: positive("timeoutMs", options.timeoutMs) ?? DEFAULT_TIMEOUT_MS,
    deadlineMs: positive("deadlineMs", options.deadlineMs),
    maxRetries,
    headers: { ...options.headers },
    dangerouslyAllowBrowser: options.dangerouslyAllowBrowser === true,
    logger: options.logger,
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    tracerProvider: options.tracerProvider,
  };
}
