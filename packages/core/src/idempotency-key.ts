import { VideoRetalkError } from "./errors.js";

/**
 * A fresh `Idempotency-Key`: `vr_` plus 32 random hex digits, inside the gateway's
 * `^[A-Za-z0-9._-]{16,96}$`.
 */
export function newIdempotencyKey(): string {
  // getRandomValues rather than randomUUID: browsers offer randomUUID only to https pages, while
  // every runtime the SDK supports has getRandomValues (Node 18 behind --experimental-global-webcrypto).
  const webCrypto = (globalThis as { crypto?: Crypto }).crypto;
  if (typeof webCrypto?.getRandomValues !== "function") {
    throw new VideoRetalkError("No Web Crypto to make an idempotency key: pass one (idempotencyKey).");
  }
  let key = "vr_";
  for (const byte of webCrypto.getRandomValues(new Uint8Array(16))) key += (byte + 256).toString(16).slice(1);
  return key;
}
