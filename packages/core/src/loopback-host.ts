/**
 * Whether `hostname` names this machine: `localhost` (and `*.localhost`), 127.0.0.0/8 or
 * `[::1]`. Used to let emulators and local proxies run over plain http while every other host
 * must use https. Any spelling the URL parser accepts for a host alone (`127.1`, `0x7f.0.0.1`,
 * `[0:0:0:0:0:0:0:1]`) is normalised first, so the checks below see one canonical form; text
 * that is more than a host (`evil.example@127.0.0.1`, `127.0.0.1/x`, `127.0.0.1:80`) is not
 * loopback, because another parser could read a different host out of it.
 *
 * @example
 * ```ts
 * import { isLoopbackHost } from "@videoretalk/core";
 * isLoopbackHost(new URL("http://127.1:4010").hostname); // true
 * isLoopbackHost("api.evolink.ai"); // false
 * ```
 */
export function isLoopbackHost(hostname: string): boolean {
  // Anything that would make the URL below carry a user, port, path, query or fragment.
  if (typeof hostname !== "string" || /[@/\\?#%\s]|:(?![^[]*\])/.test(hostname)) return false;
  let host: string;
  try {
    host = new URL(`http://${hostname}/`).hostname;
  } catch {
    return false;
  }
  return isLoopbackUrlHost(host);
}

/**
 * {@link isLoopbackHost} for the `hostname` of a parsed `URL`, which the parser has already
 * normalised (so the client's own option check skips the second parse).
 */
export function isLoopbackUrlHost(urlHostname: string): boolean {
  const host = urlHostname.replace(/\.$/, "");
  return host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
