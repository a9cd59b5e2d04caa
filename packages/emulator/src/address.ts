/**
 * Classifies callback hosts the way the real API does, except that loopback is its own kind:
 * the emulator accepts (and delivers to) loopback callbacks, which the real API refuses.
 * Hosts are read after WHATWG URL parsing, so `127.1` or `[::ffff:127.0.0.1]` are caught.
 */

/** What a callback host is: a loopback address, a refused non-public address, or anything else. */
export type HostKind = { kind: "loopback" } | { kind: "refused"; reason: string } | { kind: "public" };

type Range4 = readonly [a: number, b: number, prefix: number, label: string];

// RFC 6890 special-purpose ranges (loopback 127/8 is handled separately).
const REFUSED_V4: readonly Range4[] = [
  [0, 0, 8, "a 'this network' address (0.0.0.0/8)"],
  [10, 0, 8, "a private address (10.0.0.0/8)"],
  [100, 64, 10, "a shared carrier-grade NAT address (100.64.0.0/10)"],
  [169, 254, 16, "a link-local address (169.254.0.0/16)"],
  [172, 16, 12, "a private address (172.16.0.0/12)"],
  [192, 0, 24, "an IETF protocol address (192.0.0.0/24)"],
  [192, 168, 16, "a private address (192.168.0.0/16)"],
  [198, 18, 15, "a benchmarking address (198.18.0.0/15)"],
  [224, 0, 4, "a multicast address (224.0.0.0/4)"],
  [240, 0, 4, "a reserved address (240.0.0.0/4)"],
];

function parseIPv4(host: string): number | undefined {
  const parts = host.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

function classifyIPv4(address: number): HostKind {
  if (address >>> 24 === 127) return { kind: "loopback" };
  for (const [a, b, prefix, reason] of REFUSED_V4) {
    const base = ((a << 24) | (b << 16)) >>> 0;
    const mask = (0xffffffff << (32 - prefix)) >>> 0;
    if ((address & mask) >>> 0 === base) return { kind: "refused", reason };
  }
  return { kind: "public" };
}

/** Expands an IPv6 literal (without brackets) into 8 groups; WHATWG output never has dotted tails. */
function parseIPv6(text: string): number[] | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (part: string | undefined) =>
    part ? part.split(":").map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? Number.parseInt(g, 16) : Number.NaN)) : [];
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return all.some(Number.isNaN) ? undefined : all;
}

function classifyIPv6(g: number[]): HostKind {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, h = 0, i = 0] = g;
  const zero80 = a === 0 && b === 0 && c === 0 && d === 0 && e === 0;
  if (zero80 && f === 0 && h === 0 && i === 1) return { kind: "loopback" };
  if (zero80 && f === 0 && h === 0 && i === 0) return { kind: "refused", reason: "the unspecified address (::)" };
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::/96) reach an IPv4 host.
  const nat64 = a === 0x64 && b === 0xff9b && c === 0 && d === 0 && e === 0 && f === 0;
  if ((zero80 && (f === 0xffff || f === 0)) || nat64) return classifyIPv4(((h << 16) | i) >>> 0);
  if ((a & 0xfe00) === 0xfc00) return { kind: "refused", reason: "a unique-local address (fc00::/7)" };
  if ((a & 0xffc0) === 0xfe80) return { kind: "refused", reason: "a link-local address (fe80::/10)" };
  if ((a & 0xffc0) === 0xfec0) return { kind: "refused", reason: "a site-local address (fec0::/10)" };
  if ((a & 0xff00) === 0xff00) return { kind: "refused", reason: "a multicast address (ff00::/8)" };
  return { kind: "public" };
}

/** Classifies `URL.hostname`. Domain names other than `localhost` count as public (no DNS lookups). */
export function classifyHost(hostname: string): HostKind {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) return { kind: "loopback" };
  if (host.startsWith("[") && host.endsWith("]")) {
    const groups = parseIPv6(host.slice(1, -1));
    return groups ? classifyIPv6(groups) : { kind: "refused", reason: "an unreadable IPv6 address" };
  }
  const v4 = parseIPv4(host);
  return v4 === undefined ? { kind: "public" } : classifyIPv4(v4);
}

/** Whether `hostname` (as `URL.hostname` gives it) is a loopback host. */
export function isLoopbackHost(hostname: string): boolean {
  return classifyHost(hostname).kind === "loopback";
}
