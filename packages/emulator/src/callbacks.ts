import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isLoopbackHost } from "./address.js";
import { type EmulatorClock, systemClock } from "./clock.js";
import { sleep } from "./http-utils.js";

/**
 * Delivers the finished task to `callback_url` like the real API: a JSON POST with a 10 s
 * timeout, retried 3 times after a failure (1 s, 2 s, 4 s; divided by the emulator's speed)
 * until a 2xx answer. Only targets the emulator was told about are contacted: with
 * `forwardCallbacksTo` every callback goes to that origin (keeping its path and query); otherwise
 * only callback URLs whose host is one of `callbackHosts` (loopback hosts) are delivered, and the
 * others are dropped. A page on this machine therefore cannot make the emulator POST to an
 * arbitrary local port.
 */

/** The documented retry delays after each failed delivery, in seconds at speed 1. */
export const CALLBACK_RETRY_DELAYS_S = [1, 2, 4] as const;
/** The documented per-attempt timeout, in milliseconds (not scaled by speed). */
export const CALLBACK_TIMEOUT_MS = 10_000;

/** Options for {@link deliverCallback}. */
export interface DeliverCallbackOptions {
  /** Divides the retry delays. */
  speed: number;
  /** An `http://127.0.0.1:<port>` origin that receives every callback instead. */
  forwardCallbacksTo?: URL;
  /** Stops waiting and sending (the emulator is closing). */
  signal: AbortSignal;
  /** Loopback hosts (`host` or `host:port`) that may receive callbacks when not forwarding. */
  callbackHosts?: readonly string[];
  /** Per-attempt timeout in milliseconds; default {@link CALLBACK_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Times the retry delays; default the system clock. */
  clock?: EmulatorClock;
}

/** Where callbacks may go: see {@link callbackTarget}. */
export interface CallbackPolicy {
  forwardCallbacksTo?: URL | undefined;
  callbackHosts?: readonly string[] | undefined;
}

/**
 * Reads a `callbackHosts` entry (`127.0.0.1:8080`, `localhost`, `[::1]:9000`) as `URL.host` /
 * `URL.hostname` would write it.
 *
 * @throws {TypeError} unless it is a loopback host with an optional port and nothing else.
 */
export function normalizeCallbackHost(entry: string): string {
  let url: URL | undefined;
  try {
    url = new URL(`http://${entry}`);
  } catch {
    url = undefined;
  }
  const plain = url && url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
  if (!url || !plain || !/^[^/?#@\\\s]+$/.test(entry)) {
    throw new TypeError(`callbackHosts entries must be host or host:port, got "${entry}".`);
  }
  // The emulator never talks to the network: callbacks may only reach this machine.
  if (!isLoopbackHost(url.hostname)) {
    throw new TypeError(`callbackHosts entries must be loopback hosts (127.0.0.1, localhost, [::1]), got "${entry}".`);
  }
  return url.host;
}

/**
 * Where a callback is actually sent, or `undefined` when the emulator must not send it: the
 * `forwardCallbacksTo` origin (keeping path and query) when set, else the callback URL itself when
 * its host (or host:port) is one of `callbackHosts`, else nowhere.
 */
export function callbackTarget(callbackUrl: string, policy: CallbackPolicy = {}): URL | undefined {
  let url: URL;
  try {
    url = new URL(callbackUrl);
  } catch {
    return undefined;
  }
  const { forwardCallbacksTo, callbackHosts = [] } = policy;
  if (forwardCallbacksTo) return new URL(`${url.pathname}${url.search}`, forwardCallbacksTo.origin);
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (url.username || url.password || !isLoopbackHost(url.hostname)) return undefined;
  const allowed = callbackHosts.map(normalizeCallbackHost);
  return allowed.includes(url.host) || allowed.includes(url.hostname) ? url : undefined;
}

/** One POST; resolves to the status code, or rejects on a network error or timeout. */
function post(target: URL, body: string, timeoutMs: number, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(body),
          "User-Agent": "videoretalk-emulator",
        },
        signal,
        timeout: timeoutMs,
        // Loopback test servers use self-signed certificates; nothing here leaves the machine.
        rejectUnauthorized: false,
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`callback timed out after ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Sends `task` to its callback target, retrying on non-2xx answers and network errors.
 * Resolves to the number of attempts made (0 when nothing was sent); never rejects.
 */
export async function deliverCallback(
  callbackUrl: string,
  task: unknown,
  options: DeliverCallbackOptions,
): Promise<number> {
  const target = callbackTarget(callbackUrl, options);
  if (!target) return 0;
  const body = JSON.stringify(task);
  const timeoutMs = options.timeoutMs ?? CALLBACK_TIMEOUT_MS;
  let attempts = 0;
  for (let retry = 0; ; retry++) {
    if (options.signal.aborted) return attempts;
    attempts += 1;
    try {
      const status = await post(target, body, timeoutMs, options.signal);
      if (status >= 200 && status < 300) return attempts;
    } catch {
      // A network error or timeout counts as a failed delivery, like a non-2xx answer.
    }
    const delayS = CALLBACK_RETRY_DELAYS_S[retry];
    if (delayS === undefined) return attempts;
    await sleep((delayS * 1000) / options.speed, options.signal, options.clock ?? systemClock);
  }
}
