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

/** Whether a secret appears anywhere in an error chain: messages, stacks, codes, causes, `errors`. */
function mentionsSecret(value: unknown, secrets: readonly string[], depth = 0): boolean {
  if (typeof value === "string") return redactText(value, secrets) !== value;
  if (depth > 5 || value === null || typeof value !== "object") return false;
  const { message, stack, code, cause, errors } = value as Record<string, unknown>;
  if ([message, stack, code].some((text) => mentionsSecret(text, secrets, depth + 1))) return true;
  if (cause !== undefined && mentionsSecret(cause, secrets, depth + 1)) return true;
  return Array.isArray(errors) && errors.some((inner) => mentionsSecret(inner, secrets, depth + 1));
}

/**
 * A cause that is safe to keep on an error: the original when nothing in its chain mentions a
 * secret, otherwise a plain copy of its name, redacted message and `code` (without its chain).
 */
export function sanitizeCause(cause: unknown, secrets: readonly string[]): unknown {
  if (!(cause instanceof Error)) {
    return typeof cause === "string" ? redactText(cause, secrets) : cause;
  }
  if (!mentionsSecret(cause, secrets)) return cause;
  const copy = new Error(redactText(cause.message, secrets));
  copy.name = cause.name;
  const code = (cause as { code?: unknown }).code;
  if (code !== undefined)
    (copy as { code?: unknown }).code = typeof code === "string" ? redactText(code, secrets) : code;
  return copy;
}
