import type { LookupFunction } from "node:net";
import type { Agent } from "undici";
import type { HostLookup, ResolvedAddress } from "./options.js";
import { resolvedAddressesRefusal } from "./target-rules.js";

type Undici = typeof import("undici");

/** An undici `Agent` shared by every download with one connection policy, and its `fetch`. */
export interface PooledAgent {
  agent: Agent;
  fetch: Undici["fetch"];
}

/**
 * Thrown by a guarded agent's lookup when a name resolves to a non-public address. The agent is
 * shared, so it cannot know which download or redirect hop asked; the download whose request
 * failed turns this into its own `DownloadTargetRefusedError` (network.node.ts).
 */
export class ResolvedAddressRefusal extends Error {
  constructor(
    readonly hostname: string,
    readonly reason: string,
  ) {
    super(`Refused to connect to ${hostname}: ${reason}.`);
    this.name = "ResolvedAddressRefusal";
  }
}

/** The two agents of one lookup function: `guarded` checks addresses, `open` allows private ones. */
interface AgentsOfLookup {
  guarded?: PooledAgent;
  open?: PooledAgent;
}

// Keyed by the lookup function itself: a connection may only be reused by a download whose
// lookup would have checked it the same way. A WeakMap lets a caller's throwaway lookup (and its
// agent, once its idle sockets have closed) be garbage-collected. The default lookup is a
// module-level function, so its agents live for the process.
const agentsByLookup = new WeakMap<HostLookup, AgentsOfLookup>();
let undiciLoading: Promise<Undici> | undefined;

/** Loads undici once (on the first download: most users of this package never download). */
function loadUndici(): Promise<Undici> {
  undiciLoading ??= import("undici").catch((error: unknown) => {
    undiciLoading = undefined; // let a later download try again
    throw error;
  });
  return undiciLoading;
}

/**
 * The process-wide agent for downloads with this `lookup` and `allowPrivateNetwork`, created on
 * first use. Sharing it lets sequential downloads from one host reuse a kept-alive connection
 * (and TLS sessions) instead of connecting each time.
 *
 * Why sharing does not weaken the target rules:
 * - undici calls `connect.lookup` for every new connection, so every connection is checked;
 *   a reused one was checked, by this same lookup and policy, when it was opened;
 * - the two policies never share an agent, so a connection opened with `allowPrivateNetwork`
 *   can never carry a download that did not allow it;
 * - redirect hops are checked by the download itself before each request (request.ts).
 *
 * Idle sockets do not keep the process alive: undici unrefs a socket while it has no request,
 * and closes it after its keep-alive timeout (4 s unless the server asks for less).
 */
export async function pooledAgent(lookup: HostLookup, allowPrivateNetwork: boolean): Promise<PooledAgent> {
  const undici = await loadUndici();
  // No await between the read and the write below, so concurrent first calls share one agent.
  let agents = agentsByLookup.get(lookup);
  if (!agents) {
    agents = {};
    agentsByLookup.set(lookup, agents);
  }
  const slot = allowPrivateNetwork ? "open" : "guarded";
  let pooled = agents[slot];
  if (!pooled) {
    const agent = new undici.Agent({ connect: { lookup: checkingLookup(lookup, allowPrivateNetwork) } });
    pooled = { agent, fetch: undici.fetch };
    agents[slot] = pooled;
  }
  return pooled;
}

/**
 * A `net.connect` lookup that resolves with `lookup` and, unless `allowPrivateNetwork`, refuses
 * a name with any non-public address. The socket connects to exactly the addresses checked, so
 * a DNS answer that changes between a check and the connection (rebinding) cannot slip through.
 */
function checkingLookup(lookup: HostLookup, allowPrivateNetwork: boolean): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname).then(
      (resolved) => {
        const reason = allowPrivateNetwork ? undefined : resolvedAddressesRefusal(resolved);
        if (reason !== undefined) {
          callback(new ResolvedAddressRefusal(hostname, reason) as NodeJS.ErrnoException, "", 0);
          return;
        }
        const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
        const addresses = resolved.filter((entry) => wanted === undefined || entry.family === wanted);
        const first = addresses[0];
        if (!first) {
          const missing = Object.assign(new Error(`${hostname} has no ${wanted ? `IPv${wanted} ` : ""}address`), {
            code: "ENOTFOUND",
          });
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
