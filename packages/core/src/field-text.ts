import { ValidationError } from "./errors.js";

/** How a rejected value is named in messages, without echoing it. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return value === "" ? "an empty string" : "a string";
  return `a ${typeof value}`;
}

export function parseHttpUrl(field: string, value: unknown): URL {
  if (typeof value !== "string" || value.trim() === "") {
    throw new ValidationError(field, `${field} must be a non-empty URL string, got ${describe(value)}.`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(field, `${field} must be an absolute http(s) URL such as https://example.com/file.mp4.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ValidationError(field, `${field} must use http or https, not ${url.protocol.slice(0, -1)}.`);
  }
  return url;
}
