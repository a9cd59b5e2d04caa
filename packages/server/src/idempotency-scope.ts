/**
 * Per-caller Idempotency-Key namespaces. The API dedupes creates by key across everything one
 * API key sends, and every user of a proxy shares the server's API key: without scoping, a user
 * who replays another user's key and body gets that user's task back. So the key a browser
 * sends is hashed together with who is calling before it goes upstream; the same caller retrying
 * with the same key still gets the same upstream key (and the same task).
 */

/** What `authorize` may return: `true`, or the caller's identity (which also allows the call). */
export type AuthorizeResult = boolean | { subject: string };

const encoder = new TextEncoder();

/**
 * The caller's scope when `authorize` allowed the request, else `undefined`. Only a literal
 * `true` or an object with a non-empty string `subject` allows it (deny by default). With plain
 * `true` the scope is the caller's credentials — its `Authorization` and `Cookie` headers —
 * since that is all the proxy knows of who is calling.
 */
export function callerScope(allowed: unknown, request: Request): string | undefined {
  if (allowed === true) {
    const credentials = [request.headers.get("authorization") ?? "", request.headers.get("cookie") ?? ""];
    return `credentials:${JSON.stringify(credentials)}`;
  }
  if (allowed !== null && typeof allowed === "object" && !Array.isArray(allowed)) {
    const { subject } = allowed as { subject?: unknown };
    if (typeof subject === "string" && subject !== "") return `subject:${subject}`;
  }
  return undefined;
}

/**
 * The upstream Idempotency-Key for a caller's key: hex SHA-256 of the scope and the key
 * (64 characters, so it still matches the API's `^[A-Za-z0-9._-]{16,96}$`).
 */
export async function scopedIdempotencyKey(scope: string, key: string): Promise<string> {
  const input = encoder.encode(JSON.stringify(["videoretalk-proxy-idempotency/v1", scope, key]));
  const digest = await globalThis.crypto.subtle.digest("SHA-256", input);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
