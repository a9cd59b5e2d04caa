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
