import type { IncomingMessage, ServerResponse } from "node:http";
import { networkInterfaces } from "node:os";
import { isLoopbackHost } from "./address.js";
import { apiErrorBody } from "./api-errors.js";
import { headerValue, sendJson } from "./http-utils.js";

/**
 * Who may talk to the emulator. It has no real users, but it runs on developer machines, where a
 * web page in the browser is the attacker: it can point a DNS name at 127.0.0.1 (DNS rebinding)
 * or send cross-origin requests. So the `Host` must name this machine, and a request from a page
 * (one with an `Origin`) must come from the emulator's own origin or one it was told about.
 */

/** Headers a page may read from an allowed cross-origin answer. */
const EXPOSED_HEADERS =
  "X-Request-Id, Retry-After, Idempotency-Replayed, Content-Length, Content-Range, Accept-Ranges, ETag";

/** Hostnames as `URL.hostname` writes them (IPv6 in brackets). */
function bracketed(address: string): string {
  return address.includes(":") ? `[${address}]` : address;
}

/**
 * A check for the `Host` header's hostname: loopback names and addresses always pass, and so does
 * the address the server is bound to; bound to `0.0.0.0`/`::`, the addresses of this machine's
 * interfaces pass too. Domain names other than `localhost` never pass (DNS rebinding).
 */
export function allowedHostNames(boundHost: string): (hostname: string) => boolean {
  const wildcard = boundHost === "0.0.0.0" || boundHost === "::";
  const fixed = new Set([new URL(`http://${bracketed(boundHost)}`).hostname]);
  return (hostname) => {
    if (isLoopbackHost(hostname) || fixed.has(hostname)) return true;
    if (!wildcard) return false;
    // Read at request time: interfaces come and go (VPNs, Wi-Fi).
    return Object.values(networkInterfaces()).some((list) =>
      (list ?? []).some(
        (item) => new URL(`http://${bracketed(item.address.split("%")[0] ?? "")}`).hostname === hostname,
      ),
    );
  };
}

/**
 * Reads a `corsOrigins` entry: `"*"`, or an origin such as `http://127.0.0.1:5173` (scheme, host
 * and port only).
 *
 * @throws {TypeError} for anything else.
 */
export function normalizeCorsOrigin(entry: string): string {
  if (entry === "*") return entry;
  let url: URL | undefined;
  try {
    url = new URL(entry);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.origin !== entry.replace(/\/$/, "")) {
    throw new TypeError(`corsOrigins entries must be origins such as http://127.0.0.1:5173 (or "*"), got "${entry}".`);
  }
  return url.origin;
}

/** What the guard needs from the emulator's context. */
export interface RequestGuardContext {
  isAllowedHost: (hostname: string) => boolean;
  corsOrigins: readonly string[];
}

function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader || /[/?#@\\\s]/.test(hostHeader)) return undefined;
  try {
    return new URL(`http://${hostHeader}`).hostname;
  } catch {
    return undefined;
  }
}

function refuse(res: ServerResponse, status: 403 | 421, code: string, message: string): true {
  sendJson(res, status, apiErrorBody("create", status, { code, message }), { Connection: "close" });
  return true;
}

/**
 * Refuses a request from the wrong place (answering it) and returns true; otherwise sets the
 * CORS headers an allowed page needs and returns false.
 *
 * - `Host` that is not this machine → 421 `misdirected_request`;
 * - `Origin` that is neither the emulator's own nor one of `corsOrigins` → 403 `origin_not_allowed`.
 */
export function refuseMisdirected(req: IncomingMessage, res: ServerResponse, guard: RequestGuardContext): boolean {
  const hostHeader = headerValue(req, "host");
  const hostname = hostnameOf(hostHeader);
  if (hostname === undefined || !guard.isAllowedHost(hostname)) {
    return refuse(
      res,
      421,
      "misdirected_request",
      `The emulator answers only requests addressed to this machine (Host: 127.0.0.1, localhost or its bound address), got Host: ${JSON.stringify(hostHeader ?? "")}.`,
    );
  }
  const origin = headerValue(req, "origin");
  if (origin === undefined) return false;
  const sameOrigin = hostnameOf(origin.replace(/^https?:\/\//, "")) !== undefined && origin === `http://${hostHeader}`;
  const listed = guard.corsOrigins.includes("*") || guard.corsOrigins.includes(origin);
  if (!sameOrigin && !listed) {
    return refuse(
      res,
      403,
      "origin_not_allowed",
      `Requests from the page at ${origin} are not allowed; start the emulator with --cors-origin ${origin} (corsOrigins) to allow them.`,
    );
  }
  if (listed) {
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
  }
  res.setHeader("Vary", "Origin");
  return false;
}
