/** Reading the size headers of a result response (RFC 9110 §8.6, §14.4). */

/** A `Content-Length`-style decimal, or `undefined` when absent or unreadable. */
export function parseLength(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A parsed `Content-Range`: a satisfied range, or the total of a 416. */
export type ContentRange = { first: number; last: number; total: number | undefined } | { unsatisfiedTotal: number };

/** `bytes <first>-<last>/<total|*>` or `bytes *\/<total>`, per RFC 9110 §14.4. */
export function parseContentRange(value: string | null): ContentRange | undefined {
  if (value === null) return undefined;
  const match = /^\s*bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)\s*$/i.exec(value);
  if (!match) return undefined;
  const total = match[3] === "*" ? undefined : Number(match[3]);
  if (match[1] === undefined || match[2] === undefined) {
    return total === undefined ? undefined : { unsatisfiedTotal: total };
  }
  return { first: Number(match[1]), last: Number(match[2]), total };
}

/** The announced size of a full (200) response; unknown when the body is content-encoded. */
export function fullLength(response: Response): number | undefined {
  const encoding = response.headers.get("content-encoding");
  // fetch decodes gzip/br transparently, so Content-Length would count encoded bytes.
  if (encoding !== null && encoding.trim().toLowerCase() !== "identity") return undefined;
  return parseLength(response.headers.get("content-length"));
}

/** Drops a response's body without reading it, releasing the connection. */
export function discard(response: Response): void {
  response.body?.cancel().catch(() => {});
}
