import { ValidationError } from "@videoretalk/core";
import type { DownloadOptions, DownloadSettings } from "./options.js";
import type { TargetCheck } from "./target-rules.js";

/**
 * How a download reaches the network. The neutral build uses `fetch` as it is; the Node.js
 * build (network.node.ts) adds the DNS half of the target rules.
 */
export interface DownloadNetwork {
  /** Sends one request; redirects come back as responses (`redirect: "manual"`). */
  fetch(url: string, init: RequestInit): Promise<Response>;
  /**
   * Checks a hop's host beyond its literal form before the request, when the connection itself
   * cannot be checked (Node.js with a custom `fetch`: a DNS lookup).
   *
   * @throws {DownloadTargetRefusedError}
   */
  checkHost?(url: URL, check: TargetCheck): Promise<void>;
  /** Frees what this download alone held (the Node build's shared agents outlive it). */
  close(): void;
}

/** Makes the network for one download. */
export type NetworkFactory = (options: DownloadOptions, settings: DownloadSettings) => Promise<DownloadNetwork>;

/**
 * The neutral build's network: the given or global `fetch`. Browsers and edge runtimes cannot
 * resolve host names, so only the literal target rules apply there.
 */
export const fetchNetwork: NetworkFactory = async (options) => {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== "function") {
    throw new ValidationError("fetch", "No fetch implementation: pass options.fetch on this runtime.");
  }
  return { fetch: (url, init) => fetchImpl(url, init), close: () => {} };
};

/** Runs `run` with a network made for this download, and frees it afterwards. */
export async function withNetwork<T>(
  factory: NetworkFactory,
  options: DownloadOptions,
  settings: DownloadSettings,
  run: (network: DownloadNetwork) => Promise<T>,
): Promise<T> {
  const network = await factory(options, settings);
  try {
    return await run(network);
  } finally {
    network.close();
  }
}
