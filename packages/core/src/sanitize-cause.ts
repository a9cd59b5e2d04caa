import { redactText } from "./redact.js";

// How deep and how wide a cause is searched and copied; causes are small, and a cap keeps a
// hostile or cyclic object from stalling the error path.
const MAX_DEPTH = 6;
const MAX_KEYS = 200;

/** Own property names, non-enumerable ones included (an Error's `message`, `stack`, `cause`). */
function ownKeys(value: object): string[] {
  return Object.getOwnPropertyNames(value).slice(0, MAX_KEYS);
}

const INSPECT_CUSTOM = Symbol.for("nodejs.util.inspect.custom");

function readProperty(value: object, key: PropertyKey): unknown {
  try {
    return (value as Record<PropertyKey, unknown>)[key];
  } catch {
    return undefined; // A throwing getter hides nothing we could print either.
  }
}

/**
 * Whether a secret appears anywhere `util.inspect`, `JSON.stringify` or a logger could reach:
 * every own property (enumerable or not) of every object in the chain.
 */
function mentionsSecret(value: unknown, secrets: readonly string[], depth = 0, seen = new Set<object>()): boolean {
  if (typeof value === "string") return redactText(value, secrets) !== value;
  if (depth > MAX_DEPTH || value === null || typeof value !== "object" || seen.has(value)) return false;
  seen.add(value);
  // A Request, Headers or other class instance keeps its data in internal slots that no property
  // walk reaches, yet `util.inspect(…, { customInspect: false })` prints them: assume the worst.
  if (!(value instanceof Error) && !Array.isArray(value)) {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return true;
  }
  // `util.inspect` prints symbol-keyed properties and calls a custom inspect method, own or
  // inherited; neither is searched here, so either could print the key: assume it does.
  if (Object.getOwnPropertySymbols(value).length > 0 || typeof readProperty(value, INSPECT_CUSTOM) === "function") {
    return true;
  }
  return ownKeys(value).some(
    (key) => redactText(key, secrets) !== key || mentionsSecret(readProperty(value, key), secrets, depth + 1, seen),
  );
}

/** A redacted copy of a plain value: strings redacted, objects rebuilt, class instances named. */
function redactedCopy(value: unknown, secrets: readonly string[], depth: number, seen: Set<object>): unknown {
  if (typeof value === "string") return redactText(value, secrets);
  if (value === null || typeof value !== "object") return typeof value === "function" ? "[Function]" : value;
  if (value instanceof Error) return redactedError(value, secrets, depth, seen);
  if (depth > MAX_DEPTH || seen.has(value)) return "[Circular or too deep]";
  seen.add(value);
  if (Array.isArray(value)) return value.slice(0, MAX_KEYS).map((item) => redactedCopy(item, secrets, depth + 1, seen));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    // A Request, Headers or class instance may hide a key in internal slots we cannot walk.
    return `[${(value as { constructor?: { name?: string } }).constructor?.name ?? "object"}]`;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).slice(0, MAX_KEYS)) {
    out[redactText(key, secrets)] = redactedCopy(readProperty(value, key), secrets, depth + 1, seen);
  }
  return out;
}

/** A new Error with the same name, redacted message and code, and a redacted cause chain. */
function redactedError(error: Error, secrets: readonly string[], depth: number, seen: Set<object>): Error {
  const copy = new Error(redactText(String(readProperty(error, "message") ?? ""), secrets));
  copy.name = redactText(String(readProperty(error, "name") ?? "Error"), secrets);
  copy.stack = `${copy.name}: ${copy.message}`;
  const code = readProperty(error, "code");
  if (code !== undefined) (copy as { code?: unknown }).code = redactedCopy(code, secrets, depth + 1, seen);
  const cause = readProperty(error, "cause");
  if (cause !== undefined && depth < MAX_DEPTH && !seen.has(error)) {
    seen.add(error);
    Object.defineProperty(copy, "cause", {
      value: redactedCopy(cause, secrets, depth + 1, seen),
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/**
 * A cause that is safe to keep on an error: the original when nothing reachable from it
 * mentions a secret, otherwise a redacted copy — for an Error its name, message, `code` and
 * cause chain (the stack is dropped, it repeats the message); for a plain object or array its
 * JSON-like content; class instances (a `Request`, `Headers`) become their name.
 */
export function sanitizeCause(cause: unknown, secrets: readonly string[]): unknown {
  if (typeof cause === "string") return redactText(cause, secrets);
  if (cause === null || typeof cause !== "object") return cause;
  if (secrets.length === 0 || !mentionsSecret(cause, secrets)) return cause;
  return redactedCopy(cause, secrets, 0, new Set());
}
