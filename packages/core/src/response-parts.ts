/** Reading responses: the headers every error carries, and JSON bodies that may not be JSON. */
import { redactText } from "./redact.js";

/**
 * `X-Request-Id`, falling back to `X-Oneapi-Request-Id`, with `secrets` redacted: some gateways
 * echo the `Authorization` value into their request id, and the id is copied into messages.
 */
export function requestIdFrom(headers: Headers, secrets: readonly string[] = []): string | undefined {
  const value = headers.get("x-request-id") ?? headers.get("x-oneapi-request-id") ?? undefined;
  return value === undefined ? undefined : redactText(value, secrets);
}

/** Parses a body as JSON, or returns `undefined`. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
