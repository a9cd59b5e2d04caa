import type { AttemptOutcome } from "./retry.js";

// Codes that prove the request never reached a server (undici, Node's net/dns, Bun).
const NOT_CONNECTED_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
  "ConnectionRefused",
]);

/** Every string `code` in an error, its `cause` chain and `AggregateError` members, outermost first. */
export function codesOf(error: unknown, depth = 0): string[] {
  if (depth > 4 || error === null || typeof error !== "object") return [];
  const codes: string[] = [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string") codes.push(code);
  if (cause !== undefined) codes.push(...codesOf(cause, depth + 1));
  if (Array.isArray(errors)) for (const inner of errors) codes.push(...codesOf(inner, depth + 1));
  return codes;
}

/**
 * Classifies an error thrown by `fetch` (not an abort). A failure is "connect-failed" only when
 * every code found proves no connection was made; anything unknown, including a browser's bare
 * `TypeError: Failed to fetch`, counts as possibly sent.
 */
export function classifyFetchError(error: unknown): AttemptOutcome {
  const codes = codesOf(error);
  if (codes.length > 0 && codes.every((code) => NOT_CONNECTED_CODES.has(code))) {
    return { kind: "connect-failed" };
  }
  return { kind: "connection-lost" };
}
