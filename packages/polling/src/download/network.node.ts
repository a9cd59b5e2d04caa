import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import { pooledAgent, ResolvedAddressRefusal } from "./agent-pool.node.js";
import type { DownloadNetwork, NetworkFactory } from "./network.js";
import type { HostLookup, ResolvedAddress } from "./options.js";
import { checkResolvedAddresses, refused, type TargetCheck } from "./target-rules.js";

/** `node:dns` `lookup` with every address, in the resolver's order. */
const systemLookup: HostLookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })) as ResolvedAddress[];

/**
 * The Node.js build's network: the target rules also cover what a host name resolves to, so a
 * public name pointing at 127.0.0.1 or 169.254.169.254 is refused (unless
 * `allowPrivateNetwork`).
 *
 * - Default: undici's `fetch` through an `Agent` whose `connect.lookup` resolves the name (with
 *   `options.lookup`), refuses it if any address is not public, and hands the checked addresses
 *   to the socket. One agent per (lookup, allowPrivateNetwork) serves the whole process, so
 *   downloads reuse kept-alive connections (agent-pool.node.ts says why that stays safe).
 * - With a custom `fetch`, the connection is that fetch's business: the name is resolved and
 *   checked just before each request instead.
 * - On Bun the same: Bun honours the `node` export condition, but its built-in `undici` shim
 *   ignores `dispatcher` (so the connect-time check would silently never run) and its `Agent`
 *   has no `destroy()`. There the global `fetch` (which pools connections itself) is used with
 *   the check before each request.
 */
export const nodeNetwork: NetworkFactory = async (options, settings) => {
  const lookup = options.lookup ?? systemLookup;
  const custom = options.fetch ?? (isBun() ? globalThis.fetch.bind(globalThis) : undefined);
  if (custom) {
    return {
      fetch: (url, init) => custom(url, init),
      checkHost: async (url, check) => {
        // Address literals were checked by the URL rules already; there is nothing to resolve.
        if (check.allowPrivateNetwork || isIP(bareHost(url.hostname)) !== 0) return;
        checkResolvedAddresses(url.host, await lookup(bareHost(url.hostname)), check);
      },
      close: () => {},
    };
  }
  const { agent, fetch: undiciFetch } = await pooledAgent(lookup, settings.allowPrivateNetwork);
  // The hop this download sends next, to name it if its connection is refused. A download sends
  // one request at a time, so this per-download note is never shared.
  let hop: { host: string; check: TargetCheck } | undefined;
  return {
    fetch: async (url, init) => {
      try {
        return (await undiciFetch(url, { ...(init as object), dispatcher: agent })) as unknown as Response;
      } catch (error) {
        const refusal = addressRefusalIn(error);
        if (!refusal) throw error;
        // checkHost always runs first (request.ts); the fallback only keeps a refusal a refusal.
        const at = hop ?? {
          host: refusal.hostname,
          check: { allowPrivateNetwork: false, redirects: 0, taskId: undefined },
        };
        throw refused(at.host, refusal.reason, at.check);
      }
    },
    // Only notes which hop connects next; the check itself runs when a connection is opened.
    checkHost: async (url, check) => {
      hop = { host: url.host, check };
    },
    // The agent is shared and outlives this download; its idle sockets are unref'd and time out.
    close: () => {},
  } satisfies DownloadNetwork;
};

/** The agent's refusal behind a failed fetch (`TypeError("fetch failed", { cause })`), if any. */
function addressRefusalIn(error: unknown): ResolvedAddressRefusal | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof ResolvedAddressRefusal) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isBun(): boolean {
  return typeof process !== "undefined" && typeof process.versions?.bun === "string";
}

function bareHost(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}
