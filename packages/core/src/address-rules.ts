/**
 * Which callback hosts the API refuses: loopback, private, link-local and other non-public
 * address literals, plus `localhost`. Checked on the WHATWG-normalised hostname, so spellings
 * such as `127.1`, `0x7f.0.0.1` or `[::ffff:127.0.0.1]` are caught too.
 */

type Cidr4 = readonly [base: number, prefix: number, label: string];

const v4 = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

// RFC 6890 special-purpose ranges that can never be a public callback target.
const BLOCKED_V4: readonly Cidr4[] = [
  [v4(0, 0, 0, 0), 8, "a 'this network' address (0.0.0.0/8)"],
  [v4(10, 0, 0, 0), 8, "a private address (10.0.0.0/8)"],
  [v4(100, 64, 0, 0), 10, "a shared carrier-grade NAT address (100.64.0.0/10)"],
  [v4(127, 0, 0, 0), 8, "a loopback address (127.0.0.0/8)"],
  [v4(169, 254, 0, 0), 16, "a link-local address (169.254.0.0/16)"],
  [v4(172, 16, 0, 0), 12, "a private address (172.16.0.0/12)"],
  [v4(192, 0, 0, 0), 24, "an IETF protocol address (192.0.0.0/24)"],
  [v4(192, 168, 0, 0), 16, "a private address (192.168.0.0/16)"],
  [v4(198, 18, 0, 0), 15, "a benchmarking address (198.18.0.0/15)"],
  [v4(224, 0, 0, 0), 4, "a multicast address (224.0.0.0/4)"],
  [v4(240, 0, 0, 0), 4, "a reserved address (240.0.0.0/4)"],
];

function parseIPv4(host: string): number | undefined {
  const parts = host.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

function blockedIPv4(address: number): string | undefined {
  for (const [base, prefix, label] of BLOCKED_V4) {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    if ((address & mask) >>> 0 === base) return label;
  }
  return undefined;
}

/** Expands a (bracket-less) IPv6 literal into 8 numbers, or `undefined` if it is not one. */
function parseIPv6(host: string): number[] | undefined {
  let text = host;
  const tail: number[] = [];
  const dotted = text.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const v4value = parseIPv4(dotted[2] ?? "");
    if (v4value === undefined) return undefined;
    tail.push(v4value >>> 16, v4value & 0xffff);
    text = `${dotted[1]}`;
    if (text.endsWith(":") && !text.endsWith("::")) text = text.slice(0, -1);
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const toGroups = (part: string | undefined) =>
    part ? part.split(":").map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? Number.parseInt(g, 16) : Number.NaN)) : [];
  const head = toGroups(halves[0]);
  const rest = halves.length === 2 ? toGroups(halves[1]) : [];
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1 && known !== 8) return undefined;
  if (halves.length === 2 && known > 7) return undefined;
  const groups = [...head, ...new Array(8 - known).fill(0), ...rest, ...tail];
  return groups.some((g) => Number.isNaN(g)) ? undefined : groups;
}

function blockedIPv6(g: number[]): string | undefined {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, h = 0, i = 0] = g;
  const zeroPrefix = a === 0 && b === 0 && c === 0 && d === 0 && e === 0;
  if (zeroPrefix && f === 0 && h === 0 && i === 0) return "the unspecified address (::)";
  if (zeroPrefix && f === 0 && h === 0 && i === 1) return "a loopback address (::1)";
  // IPv4-mapped (::ffff:a.b.c.d) and the deprecated IPv4-compatible (::a.b.c.d) forms.
  if (zeroPrefix && (f === 0xffff || f === 0)) {
    const inner = blockedIPv4(((h << 16) | i) >>> 0);
    if (inner) return `${inner}, written as IPv6`;
  }
  // NAT64 (64:ff9b::/96) reaches the embedded IPv4 address.
  if (a === 0x64 && b === 0xff9b && c === 0 && d === 0 && e === 0 && f === 0) {
    const inner = blockedIPv4(((h << 16) | i) >>> 0);
    if (inner) return `${inner}, written as NAT64`;
  }
  // 6to4 (2002::/16) routes to the IPv4 address in groups 2–3, through relays the caller does not
  // control; an embedded private or loopback address is refused like the plain one.
  if (a === 0x2002) {
    const inner = blockedIPv4(((b << 16) | c) >>> 0);
    if (inner) return `${inner}, written as 6to4`;
  }
  // Teredo (2001:0::/32) carries the client's IPv4 address inverted in the last two groups.
  if (a === 0x2001 && b === 0) {
    const inner = blockedIPv4(~((h << 16) | i) >>> 0);
    if (inner) return `${inner}, written as Teredo`;
  }
  if ((a & 0xfe00) === 0xfc00) return "a unique-local address (fc00::/7)";
  if ((a & 0xffc0) === 0xfe80) return "a link-local address (fe80::/10)";
  if ((a & 0xffc0) === 0xfec0) return "a site-local address (fec0::/10)";
  if ((a & 0xff00) === 0xff00) return "a multicast address (ff00::/8)";
  return undefined;
}

/**
 * Why a callback to `hostname` (as `URL.hostname` gives it) would be refused, or `undefined`
 * when the host is allowed. Domain names other than `localhost` are allowed: resolving them is
 * the server's job.
 */
export function refusedHostReason(hostname: string): string | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) return "localhost";
  if (host.startsWith("[") && host.endsWith("]")) {
    const groups = parseIPv6(host.slice(1, -1));
    return groups ? blockedIPv6(groups) : "an unreadable IPv6 address";
  }
  const address = parseIPv4(host);
  return address === undefined ? undefined : blockedIPv4(address);
}
