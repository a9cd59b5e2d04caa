import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { isLoopbackHost } from "./address.js";
import { callbackTarget, deliverCallback } from "./callbacks.js";
import type { EmulatorContext } from "./context.js";
import { createFileStore } from "./file-store.js";
import { loadSamples } from "./media.js";
import { createRouter } from "./router.js";
import { createScenarioCounter } from "./scenarios.js";
import { createTaskStore, type TaskRecord } from "./task-store.js";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
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
}

/** A running emulator. */
export interface Emulator {
  /** Its origin, e.g. `http://127.0.0.1:4020`: the base URL for both the API and the Files API. */
  url: string;
  /** Stops listening, drops open connections, cancels pending callbacks. Safe to call twice. */
  close(): Promise<void>;
}

function checkOptions(options: EmulatorOptions): { speed: number; forward: URL | undefined } {
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
  return { speed, forward };
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
 * @throws {TypeError} for a bad `apiKey` or `forwardCallbacksTo`.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { speed, forward } = checkOptions(options);
  loadSamples();
  const host = options.host ?? "127.0.0.1";
  const closing = new AbortController();
  const timers = new Set<NodeJS.Timeout>();
  const deliveries = new Set<Promise<unknown>>();

  const server = createServer();
  server.keepAliveTimeout = 1000;
  const address = await listen(server, options.port ?? 0, host);
  const visibleHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  const baseUrl = `http://${visibleHost.includes(":") ? `[${visibleHost}]` : visibleHost}:${address.port}`;

  const tasks = createTaskStore({ speed, baseUrl });
  const scheduleCallback = (task: TaskRecord) => {
    const callbackUrl = task.params.callback_url;
    if (callbackUrl === undefined || !callbackTarget(callbackUrl, forward)) return;
    const delayMs = tasks.terminalDelayMs(task);
    const timer = setTimeout(() => {
      timers.delete(timer);
      // View the task just past its terminal instant, whatever the timer's jitter.
      const body = tasks.view(task, Math.max(Date.now(), task.createdAtMs + Math.ceil(delayMs) + 1));
      const delivery = deliverCallback(callbackUrl, body, {
        speed,
        forwardCallbacksTo: forward,
        signal: closing.signal,
      });
      deliveries.add(delivery);
      void delivery.finally(() => deliveries.delete(delivery));
    }, delayMs);
    timers.add(timer);
  };

  const context: EmulatorContext = {
    baseUrl,
    port: address.port,
    speed,
    apiKey: options.apiKey,
    tasks,
    files: createFileStore(),
    counter: createScenarioCounter(),
    idempotency: new Map(),
    signal: closing.signal,
    scheduleCallback,
  };
  server.on("request", createRouter(context));

  let closed: Promise<void> | undefined;
  return {
    url: baseUrl,
    close() {
      closed ??= (async () => {
        closing.abort();
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await Promise.all([stopped, ...deliveries]);
      })();
      return closed;
    },
  };
}
