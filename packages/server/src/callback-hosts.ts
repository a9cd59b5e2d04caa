import { ValidationError } from "@videoretalk/core";

/** A compiled `callbackHosts` allowlist: answers whether a callback URL's host may be used. */
export type CallbackHostCheck = (hostname: string) => boolean;

function canonicalHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, "");
}

/**
 * Compiles a `callbackHosts` option. Entries are host names compared after WHATWG URL parsing
 * (so `EXAMPLE.com.` matches `example.com`); `*.example.com` matches any subdomain of
 * `example.com`, not `example.com` itself. Ports and schemes are not part of an entry: core
 * already requires https and refuses private and loopback hosts.
 *
 * @throws {ValidationError} with `field: "callbackHosts"` for an entry that is not a host name.
 */
export function compileCallbackHosts(hosts: readonly string[] | undefined): CallbackHostCheck {
  if (hosts === undefined) return () => false;
  if (!Array.isArray(hosts)) {
    throw new ValidationError(
      "callbackHosts",
      "callbackHosts must be an array of host names such as hooks.example.com.",
    );
  }
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const entry of hosts) {
    const wildcard = typeof entry === "string" && entry.startsWith("*.");
    const name = typeof entry === "string" ? (wildcard ? entry.slice(2) : entry) : "";
    let parsed: string | undefined;
    try {
      const url = new URL(`https://${name}/`);
      if (url.port === "" && url.username === "" && url.pathname === "/") parsed = canonicalHost(url.hostname);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed !== canonicalHost(name)) {
      throw new ValidationError(
        "callbackHosts",
        `callbackHosts entries must be host names such as hooks.example.com or *.example.com, got ${JSON.stringify(entry)}.`,
      );
    }
    if (wildcard) suffixes.push(`.${parsed}`);
    else exact.add(parsed);
  }
  return (hostname) => {
    const host = canonicalHost(hostname);
    return exact.has(host) || suffixes.some((suffix) => host.endsWith(suffix) && host.length > suffix.length);
  };
}
