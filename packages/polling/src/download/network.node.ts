import { lookup as dnsLookup } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import type { DownloadNetwork, NetworkFactory } from "./network.js";
import type { HostLookup, ResolvedAddress } from "./options.js";
import { checkResolvedAddresses, type TargetCheck } from "./target-rules.js";

/** `node:dns` `lookup` with every address, in the resolver's order. */
const systemLookup: HostLookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })) as ResolvedAddress[];

/**
 * The Node.js build's network: the target rules also cover what a host name resolves to, so a
 * public name pointing at 127.0.0.1 or 169.254.169.254 is refused (unless
 * `allowPrivateNetwork`).
 *
 * - Default: undici's `fetch` with a per-download `Agent` whose `connect.lookup` resolves the
 *   name (with `options.lookup`), refuses it if any address is not public, and hands the
 *   checked addresses to the socket. The check is on the very addresses connected to, so a DNS
 *   answer that changes between a check and the connection (rebinding) cannot slip through.
 * - With a custom `fetch`, the connection is that fetch's business: the name is resolved and
 *   checked just before each request instead.
 * - On Bun the same: Bun honours the `node` export condition, but its built-in `undici` shim
 *   ignores `dispatcher` (so the connect-time check would silently never run) and its `Agent`
 *   has no `destroy()`. There the global `fetch` is used with the check before each request.
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
  // Loaded on first download only: most users of this package never download.
  const { Agent, fetch: undiciFetch } = await import("undici");
  let hop: { host: string; check: TargetCheck } = {
    host: "",
    check: { allowPrivateNetwork: settings.allowPrivateNetwork, redirects: 0, taskId: undefined },
  };
  const agent = new Agent({ connect: { lookup: guardedLookup(lookup, () => hop) } });
  const network: DownloadNetwork = {
    fetch: (url, init) => undiciFetch(url, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>,
    // Only notes which hop connects next, for the refusal's message; the check runs on connect.
    checkHost: async (url, check) => {
      hop = { host: url.host, check };
    },
    close: () => {
      agent.destroy?.().catch(() => {});
    },
  };
  return network;
};

/** A `net.connect` lookup that resolves with `lookup` and refuses non-public addresses. */
function guardedLookup(lookup: HostLookup, currentHop: () => { host: string; check: TargetCheck }): LookupFunction {
  return (hostname, options, callback) => {
    const { host, check } = currentHop();
    lookup(hostname).then(
      (resolved) => {
        try {
          checkResolvedAddresses(host || hostname, resolved, check);
        } catch (error) {
          callback(error as NodeJS.ErrnoException, "", 0);
          return;
        }
        const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
        const addresses = resolved.filter((entry) => wanted === undefined || entry.family === wanted);
        const first = addresses[0];
        if (!first) {
          const missing = Object.assign(new Error(`${hostname} has no IPv${wanted} address`), { code: "ENOTFOUND" });
          callback(missing, "", 0);
          return;
        }
        if (options.all) (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}

function isBun(): boolean {
  return typeof process !== "undefined" && typeof process.versions?.bun === "string";
}

function bareHost(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}
