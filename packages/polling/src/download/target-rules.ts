import { refusedHostReason } from "@videoretalk/core/validation";
import { DownloadTargetRefusedError } from "../errors.js";

/**
 * Where a result download may go. A result URL comes from the API or from a webhook body that
 * anyone can forge, so by default it must be https on a public host: never loopback, a private
 * range, link-local (the cloud metadata address 169.254.169.254) or `localhost`. Core's
 * `refusedHostReason` holds the address ranges, so callback URLs and downloads share one list.
 */

/** Why connecting to the IP address `address` (as DNS returns it, no brackets) is refused. */
export function refusedAddressReason(address: string): string | undefined {
  // Core reads hosts as `URL.hostname` writes them: IPv6 in brackets. A zone id (`fe80::1%eth0`)
  // does not parse and is refused as unreadable, which is the safe answer.
  return refusedHostReason(address.includes(":") ? `[${address}]` : address);
}

/** What a hop's check needs to know. */
export interface TargetCheck {
  allowPrivateNetwork: boolean;
  /** How many redirects led here; `0` for the URL passed in. */
  redirects: number;
  taskId: string | undefined;
}

/**
 * Checks one hop's URL by its scheme and literal host (no DNS): https only, and no non-public
 * address literal or `localhost`, unless `allowPrivateNetwork`.
 *
 * @throws {DownloadTargetRefusedError} naming `url.host` (never the path or query).
 */
export function checkTarget(url: URL, check: TargetCheck): void {
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw refused(url.host, `a ${url.protocol} URL, which cannot be downloaded`, check, true);
  }
  if (check.allowPrivateNetwork) return;
  if (url.protocol === "http:") throw refused(url.host, "a plain-http URL (only https is allowed)", check);
  const reason = refusedHostReason(url.hostname);
  if (reason !== undefined) throw refused(url.host, reason, check);
}

/**
 * Checks the addresses a host name resolved to: all of them must be public, so a name cannot
 * smuggle a private address in next to a public one.
 *
 * @throws {DownloadTargetRefusedError} naming `host` and the refused address.
 */
export function checkResolvedAddresses(
  host: string,
  addresses: readonly { address: string }[],
  check: TargetCheck,
): void {
  if (check.allowPrivateNetwork) return;
  const reason = resolvedAddressesRefusal(addresses);
  if (reason !== undefined) throw refused(host, reason, check);
}

/** Why a name that resolved to `addresses` is refused (any one non-public address is enough). */
export function resolvedAddressesRefusal(addresses: readonly { address: string }[]): string | undefined {
  if (addresses.length === 0) return "a name that resolved to no address";
  for (const { address } of addresses) {
    const reason = refusedAddressReason(address);
    if (reason !== undefined) return `a name that resolves to ${reason}`;
  }
  return undefined;
}

/** The refusal of the hop `check` describes, naming `host` (never the path or query). */
export function refused(host: string, reason: string, check: TargetCheck, always = false): DownloadTargetRefusedError {
  // `always`: not a network rule, so allowPrivateNetwork cannot help and is not suggested.
  return new DownloadTargetRefusedError({
    host,
    reason,
    redirects: check.redirects,
    taskId: check.taskId,
    allowable: !always,
  });
}
