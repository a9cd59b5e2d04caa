import type { IncomingMessage, ServerResponse } from "node:http";
import { type EmulatorClock, systemClock } from "./clock.js";

/** Small helpers shared by the emulator's routes. */

/** Thrown by {@link readBody} when the body exceeds its limit. */
export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
  constructor(readonly limitBytes: number) {
    super(`The request body is larger than ${limitBytes} bytes.`);
  }
}

/** Reads a whole request body, refusing more than `limitBytes`. */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limitBytes) throw new BodyTooLargeError(limitBytes);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    total += buffer.length;
    if (total > limitBytes) throw new BodyTooLargeError(limitBytes);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total);
}

/** Parses JSON, returning `undefined` (not throwing) on malformed text. */
export function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** Writes a JSON answer with the given status and extra headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | number> = {},
): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(text);
}

const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789";
const MIXED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `length` random characters from `alphabet`. Web Crypto, so the MSW handlers can use it in browsers. */
export function randomText(length: number, alphabet = ALPHANUMERIC): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(length));
  let text = "";
  for (const byte of bytes) text += alphabet[byte % alphabet.length];
  return text;
}

/** A request id in the gateway's style: a timestamp, digits, then letters (`20261125014051238915700ZzQa1bC2`). */
export function newRequestId(now = new Date()): string {
  const stamp = now.toISOString().replace(/\D/g, "").slice(0, 14);
  return `${stamp}${randomText(9, "0123456789")}${randomText(8, MIXED)}`;
}

/** The bearer token of a request, or `undefined` when there is no well-formed one. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = req.headers.authorization?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** The first value of a header. */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Waits `ms` on `clock`, or less if `signal` aborts first (it never rejects). */
export function sleep(ms: number, signal?: AbortSignal, clock: EmulatorClock = systemClock): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clock.clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = clock.setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
