import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type AccountingOptions, checkAccountingOptions, createAccounting } from "./accounting.js";
import { isLoopbackHost } from "./address.js";
import { callbackTarget, deliverCallback, normalizeCallbackHost } from "./callbacks.js";
import { type EmulatorClock, systemClock } from "./clock.js";
import type { EmulatorContext } from "./context.js";
import { createFileStore } from "./file-store.js";
import { loadSamples } from "./media.js";
import { allowedHostNames, normalizeCorsOrigin } from "./request-guard.js";
import { createRouter } from "./router.js";
import { createScenarioCounter } from "./scenarios.js";
import type { EmulatorStats } from "./stats.js";
import { createTaskStore, type TaskRecord } from "./task-store.js";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions extends AccountingOptions {
  /** TCP port; default `0`, which picks a free port (read it from `url`). */
  port?: number;
  /** Interface to listen on; default `"127.0.0.1"`. */
  host?: string;
  /**
   * How much faster than real time tasks run; default `1`, where a task takes 30–60 s. At
   * `100` it takes 0.3–0.6 s. Callback retry delays are divided by it too.
   */
  speed?: number;
  /** When set, only `Authorization: Bearer <apiKey>` is accepted; by default any bearer token passes. */
  apiKey?: string;
  /**
   * An `http://127.0.0.1:<port>` origin that receives every callback, keeping the callback
   * URL's path and query, so `https://` callback URLs still reach a local test server.
   */
  forwardCallbacksTo?: string;
  /**
   * Loopback hosts (`127.0.0.1:8080`, `localhost`) whose callback URLs are delivered as they are.
   * By default (and always without `forwardCallbacksTo`) a callback to any other host, including
   * other local ports, is dropped.
   */
  callbackHosts?: readonly string[];
  /**
   * Browser origins (`http://127.0.0.1:5173`) allowed to call the emulator from a page (CORS);
   * `"*"` allows any. Default: none, so no `Access-Control-Allow-Origin` header is sent.
   */
  corsOrigins?: readonly string[];
  /** The clock for task timelines, `slow:` delays and callback retries; default the system clock (for tests). */
  clock?: EmulatorClock;
}

/** A running emulator. */
export interface Emulator {
  /** Its origin, e.g. `http://127.0.0.1:4020`: the base URL for both the API and the Files API. */
  url: string;
  /** Stops listening, drops open connections, cancels pending callbacks. Safe to call twice. */
  close(): Promise<void>;
  /** What the emulator was asked so far: creates, replays, 429s, reads, credits, tasks. */
  stats(): EmulatorStats;
}

function checkOptions(options: EmulatorOptions): {
  speed: number;
  forward: URL | undefined;
  callbackHosts: string[];
  corsOrigins: string[];
} {
  const speed = options.speed ?? 1;
  if (typeof speed !== "number" || !Number.isFinite(speed) || speed <= 0) {
    throw new RangeError(`speed must be a positive number, got ${String(options.speed)}.`);
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${String(options.port)}.`);
  }
  if (options.apiKey !== undefined && (typeof options.apiKey !== "string" || options.apiKey === "")) {
    throw new TypeError("apiKey must be a non-empty string when set.");
  }
  let forward: URL | undefined;
  if (options.forwardCallbacksTo !== undefined) {
    try {
      forward = new URL(options.forwardCallbacksTo);
    } catch {
      throw new TypeError(
        `forwardCallbacksTo must be a URL such as http://127.0.0.1:8080, got ${options.forwardCallbacksTo}.`,
      );
    }
    // The emulator never talks to the network: callbacks may only reach this machine.
    if (forward.protocol !== "http:" || !isLoopbackHost(forward.hostname)) {
      throw new TypeError(`forwardCallbacksTo must be an http:// loopback origin, got ${options.forwardCallbacksTo}.`);
    }
  }
  const callbackHosts = [...(options.callbackHosts ?? [])].map(normalizeCallbackHost);
  const corsOrigins = [...(options.corsOrigins ?? [])].map(normalizeCorsOrigin);
  return { speed, forward, callbackHosts, corsOrigins };
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Starts a local, stateful stand-in for the Evolink VideoRetalk API and its Files API on one
 * origin. It never contacts the network, except to deliver callbacks to loopback addresses.
 *
 * @throws {RangeError} for a bad `speed` or `port`.
 * @throws {TypeError} for a bad `apiKey`, `forwardCallbacksTo`, `callbackHosts` entry (not a
 *   loopback `host[:port]`) or `corsOrigins` entry (not an origin).
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { speed, forward, callbackHosts, corsOrigins } = checkOptions(options);
  checkAccountingOptions(options);
  const clock = options.clock ?? systemClock;
  loadSamples();
  const host = options.host ?? "127.0.0.1";
  const closing = new AbortController();
  const timers = new Set<unknown>();
  const deliveries = new Set<Promise<unknown>>();

  const server = createServer();
  server.keepAliveTimeout = 1000;
  const address = await listen(server, options.port ?? 0, host);
  const visibleHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  const baseUrl = `http://${visibleHost.includes(":") ? `[${visibleHost}]` : visibleHost}:${address.port}`;

  const tasks = createTaskStore({ speed, baseUrl, now: clock.now });
  const callbackPolicy = { forwardCallbacksTo: forward, callbackHosts };
  const scheduleCallback = (task: TaskRecord) => {
    const callbackUrl = task.params.callback_url;
    if (callbackUrl === undefined || !callbackTarget(callbackUrl, callbackPolicy)) return;
    const delayMs = tasks.terminalDelayMs(task);
    const timer = clock.setTimeout(() => {
      timers.delete(timer);
      // View the task just past its terminal instant, whatever the timer's jitter.
      const body = tasks.view(task, Math.max(clock.now(), task.createdAtMs + Math.ceil(delayMs) + 1));
      const delivery = deliverCallback(callbackUrl, body, {
        speed,
        ...callbackPolicy,
        signal: closing.signal,
        clock,
      });
      deliveries.add(delivery);
      void delivery.finally(() => deliveries.delete(delivery));
    }, delayMs);
    timers.add(timer);
  };

  const context: EmulatorContext = {
    baseUrl,
    port: address.port,
    clock,
    isAllowedHost: allowedHostNames(host),
    corsOrigins,
    speed,
    apiKey: options.apiKey,
    tasks,
    files: createFileStore(),
    counter: createScenarioCounter(),
    idempotency: new Map(),
    accounting: createAccounting(options, { clock, speed, tasks }),
    signal: closing.signal,
    scheduleCallback,
  };
  server.on("request", createRouter(context));

  let closed: Promise<void> | undefined;
  return {
    url: baseUrl,
    stats: () => context.accounting.stats(),
    close() {
      closed ??= (async () => {
        closing.abort();
        for (const timer of timers) clock.clearTimeout(timer);
        timers.clear();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await Promise.all([stopped, ...deliveries]);
      })();
      return closed;
    },
  };
}
