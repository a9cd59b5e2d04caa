import { ValidationError } from "./errors.js";

/**
 * URLs that every parser reads the same way. The WHATWG parser (Node, browsers) forgives
 * backslashes, stray whitespace, control characters and `user@` parts that curl, Python and many
 * HTTP servers read differently — `https://hooks.example.com\@evil.example/` is
 * `hooks.example.com` to one and `evil.example` to the other. Such URLs are refused outright,
 * and what is sent is the serialised form that was checked (`URL#href`), never the raw text.
 */

// C0 and C1 controls, DEL, every Unicode space, and invisible format characters.
const AMBIGUOUS_CHARACTERS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]/;

/** Why `text` is not an unambiguous absolute http(s) URL, or `undefined` when it is. */
function ambiguityOf(text: string): string | undefined {
  if (text.includes("\\")) return "contains a backslash";
  if (AMBIGUOUS_CHARACTERS.test(text)) return "contains whitespace or control characters";
  const scheme = text.match(/^([A-Za-z][A-Za-z0-9+.-]*):\/\//);
  if (!scheme) return undefined; // Reported by the parse below (relative, or not `scheme://`).
  const authority = text.slice(scheme[0].length).split(/[/?#]/, 1)[0] ?? "";
  if (authority.includes("@")) return "contains a user name or password (user@host)";
  return undefined;
}

/**
 * Parses an absolute http(s) URL that no parser can read differently: no backslashes,
 * whitespace, control characters or user info, and `scheme://` spelled out. Send the result's
 * `href` — the form that was checked — rather than the input text.
 *
 * @example
 * ```ts
 * import { parseUnambiguousUrl } from "@videoretalk/core/validation";
 * parseUnambiguousUrl("callback_url", "https://Hooks.Example.com/a/../b").href; // "https://hooks.example.com/b"
 * parseUnambiguousUrl("callback_url", "https://hooks.example.com\\@evil.example/"); // throws ValidationError
 * ```
 * @throws {ValidationError} naming `field`.
 */
export function parseUnambiguousUrl(field: string, value: unknown): URL {
  if (typeof value !== "string" || value === "") {
    throw new ValidationError(field, `${field} must be a non-empty URL string.`);
  }
  const ambiguity = ambiguityOf(value);
  if (ambiguity) {
    throw new ValidationError(
      field,
      `${field} ${ambiguity}; URL parsers disagree on where such a URL points, so it is refused.`,
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(field, `${field} must be an absolute http(s) URL such as https://example.com/hook.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ValidationError(field, `${field} must use http or https, not ${url.protocol.slice(0, -1)}.`);
  }
  if (!/^https?:\/\//i.test(value)) {
    throw new ValidationError(
      field,
      `${field} must start with ${url.protocol}// so every parser reads it the same way.`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new ValidationError(field, `${field} must not contain a user name or password.`);
  }
  return url;
}
