/**
 * Removes secrets from text and JSON values before they reach an error, a log line or a
 * caller. Gateways sometimes echo the key they rejected ("Invalid API key sk-…"), so every
 * string taken from a response or a thrown error passes through here.
 */
export const REDACTED = "[redacted]";

/** Replaces every occurrence of each secret in `text`. Secrets shorter than 4 chars are ignored. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Deep-copies a parsed JSON value with every string redacted. */
export function redactJson(value: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0) return value;
  if (typeof value === "string") return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((item) => redactJson(item, secrets));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = redactJson(item, secrets);
    return out;
  }
  return value;
}
