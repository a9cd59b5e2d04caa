import { ValidationError, VideoRetalkError } from "@videoretalk/core";
import { parseUnambiguousUrl } from "@videoretalk/core/validation";

/**
 * Signed callback URLs. The API does not sign its callbacks, so the URL itself carries the proof:
 * `vr_token` is an HMAC-SHA256 (Web Crypto) of the URL's path and query, which only someone with
 * the secret can produce. Host and scheme are left out on purpose, so the token still verifies
 * behind a reverse proxy or a tunnel that rewrites them.
 */

/** The query parameter that carries the token. */
export const CALLBACK_TOKEN_PARAM = "vr_token";

/** Shortest secret accepted, in characters. */
export const MIN_SECRET_LENGTH = 16;

// 32 HMAC-SHA256 bytes in unpadded base64url.
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const encoder = new TextEncoder();

/** Options of {@link callbackUrl}. */
export interface CallbackUrlOptions {
  /** The shared secret (at least 16 characters); the webhook handler must get the same one. */
  secret: string;
}

function subtle(): SubtleCrypto {
  const webCrypto = (globalThis as { crypto?: Crypto }).crypto;
  if (webCrypto?.subtle === undefined) {
    throw new VideoRetalkError(
      "No Web Crypto available to sign callback URLs. On Node 18 run with --experimental-global-webcrypto.",
    );
  }
  return webCrypto.subtle;
}

/**
 * Checks a secret option.
 *
 * @throws {ValidationError} with `field: "secret"`.
 */
export function checkSecret(secret: unknown): string {
  if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) {
    throw new ValidationError(
      "secret",
      `secret must be a string of at least ${MIN_SECRET_LENGTH} characters; generate one with crypto.randomUUID() or openssl rand -hex 32.`,
    );
  }
  return secret;
}

/** Imports a secret as an HMAC-SHA256 key. */
export function importSecret(secret: string): Promise<CryptoKey> {
  return subtle().importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

function base64url(bytes: ArrayBuffer): string {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The token for a canonical path + query. */
export async function signPath(key: CryptoKey, canonical: string): Promise<string> {
  return base64url(await subtle().sign("HMAC", key, encoder.encode(canonical)));
}

function isTokenPart(part: string): boolean {
  const name = part.split("=", 1)[0] ?? "";
  try {
    return decodeURIComponent(name.replace(/\+/g, " ")) === CALLBACK_TOKEN_PARAM;
  } catch {
    return false;
  }
}

/** A URL split into what is signed and the token(s) it carries. */
export interface SplitCallbackUrl {
  /** `pathname`, plus `?` and the query without `vr_token` when any remains. */
  canonical: string;
  /** The raw query parts kept, in order. */
  parts: string[];
  /** The values of every `vr_token` parameter found. */
  tokens: string[];
}

/** Splits a parsed URL into its signed form and its tokens (empty query parts are dropped). */
export function splitCallbackUrl(url: URL): SplitCallbackUrl {
  const parts: string[] = [];
  const tokens: string[] = [];
  for (const part of url.search.slice(1).split("&")) {
    if (part === "") continue;
    if (isTokenPart(part)) tokens.push(part.slice(part.indexOf("=") + 1 || part.length));
    else parts.push(part);
  }
  const canonical = parts.length > 0 ? `${url.pathname}?${parts.join("&")}` : url.pathname;
  return { canonical, parts, tokens };
}

/** Compares two strings in time that depends only on their lengths (which are public). */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Whether `url` carries exactly one `vr_token` that one of `keys` produced for its path + query.
 * Every key is checked, so timing does not tell which one matched.
 */
export async function verifyCallbackUrl(url: URL, keys: readonly CryptoKey[]): Promise<boolean> {
  const { canonical, tokens } = splitCallbackUrl(url);
  const token = tokens.length === 1 ? tokens[0] : undefined;
  if (token === undefined || !TOKEN_PATTERN.test(token)) return false;
  let valid = false;
  for (const key of keys) {
    if (constantTimeEqual(await signPath(key, canonical), token)) valid = true;
  }
  return valid;
}

/**
 * Builds a `callback_url` that the webhook handler (given the same `secret`) accepts: `baseUrl`
 * plus a `vr_token` query parameter, an HMAC-SHA256 of the URL's path and query. Any task
 * delivered to it verifies, so one URL per user or per purpose is enough; query parameters you
 * add (`?user=42`) are covered by the token and cannot be changed by anyone without the secret.
 * An existing `vr_token` and the fragment are removed first.
 *
 * @example
 * ```ts
 * import { callbackUrl } from "@videoretalk/server";
 *
 * const url = await callbackUrl(`https://example.com/api/videoretalk-hook?user=${user.id}`, {
 *   secret: process.env.VR_WEBHOOK_SECRET!,
 * });
 * await client.lipSync.create({ video_url, audio_url, callback_url: url });
 * ```
 * @throws {ValidationError} (as a rejection) for a short secret or a base URL that is not
 *   absolute http(s), or that URL parsers could read differently (a backslash, `user@`,
 *   whitespace or control characters). The result is the normalised URL (`URL#href`).
 */
export async function callbackUrl(baseUrl: string | URL, options: CallbackUrlOptions): Promise<string> {
  const secret = checkSecret(options?.secret);
  // The same rule as core's callback_url check: refuse what parsers read differently
  // (backslashes, user info, whitespace, controls) and sign the serialised form.
  const url = parseUnambiguousUrl("baseUrl", typeof baseUrl === "string" ? baseUrl : String(baseUrl));
  url.hash = "";
  const { canonical, parts } = splitCallbackUrl(url);
  const token = await signPath(await importSecret(secret), canonical);
  url.search = `?${[...parts, `${CALLBACK_TOKEN_PARAM}=${token}`].join("&")}`;
  return url.href;
}
