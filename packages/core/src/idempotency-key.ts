import { VideoRetalkError } from "./errors.js";

/**
 * A fresh `Idempotency-Key`: `vr_` plus 32 random hex digits, inside the gateway's
 * `^[A-Za-z0-9._-]{16,96}$`. Uses the global Web Crypto (Node 18 needs
 * `--experimental-global-webcrypto`).
 */
export function newIdempotencyKey(): string {
  const webCrypto = (globalThis as { crypto?: Crypto }).crypto;
  if (typeof webCrypto?.randomUUID === "function") {
    return `vr_${webCrypto.randomUUID().replaceAll("-", "")}`;
  }
  if (typeof webCrypto?.getRandomValues === "function") {
    const bytes = webCrypto.getRandomValues(new Uint8Array(16));
    return `vr_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
  }
  throw new VideoRetalkError(
    "No Web Crypto available to generate an idempotency key. On Node 18 run with --experimental-global-webcrypto, or pass requestOptions.idempotencyKey.",
  );
}
