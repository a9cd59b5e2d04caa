import { ValidationError } from "@videoretalk/core";

/** Default body cap of both handlers: 64 KiB, far above any create body or task callback. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** The outcome of {@link readBodyText}. */
export type BodyReadResult =
  | { ok: true; text: string }
  | { ok: false; reason: "too-large" | "not-utf8" | "read-failed" };

/**
 * Reads a request body as UTF-8 text, refusing it once it passes `maxBytes`. The declared
 * `Content-Length` is checked first, then the bytes are counted as they stream in, so a body
 * that lies about its length (or is chunked) is cut off as soon as it crosses the cap and the
 * rest is never read.
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<BodyReadResult> {
  if (declaredLengthExceeds(request.headers, maxBytes)) return { ok: false, reason: "too-large" };
  const body = request.body;
  if (body === null) return { ok: true, text: "" };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        // Stop the producer (a socket, for the node adapter) instead of draining it.
        reader.cancel().catch(() => {});
        return { ok: false, reason: "too-large" };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, reason: "read-failed" };
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return { ok: false, reason: "not-utf8" };
  }
}

/** True when `Content-Length` is present and above `maxBytes` (or not a valid length at all). */
export function declaredLengthExceeds(headers: Headers, maxBytes: number): boolean {
  const declared = headers.get("content-length");
  if (declared === null) return false;
  if (!/^\s*\d+\s*$/.test(declared)) return true;
  return Number(declared) > maxBytes;
}

/**
 * Validates a `maxBodyBytes` option and applies the default.
 *
 * @throws {ValidationError} with `field: "maxBodyBytes"`.
 */
export function resolveMaxBodyBytes(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_BODY_BYTES;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new ValidationError(
      "maxBodyBytes",
      `maxBodyBytes must be a positive whole number of bytes, got ${String(value)}.`,
    );
  }
  return value;
}
