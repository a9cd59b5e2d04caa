import { refusedHostReason } from "./address-rules.js";
import { ValidationError } from "./errors.js";
import { parseUnambiguousUrl } from "./url-text.js";

/** The spec's `callback_url` length limit. */
export const MAX_CALLBACK_URL_LENGTH = 2048;

/**
 * Checks `callback_url` and returns the exact text to send: the serialised URL that the rules
 * were checked against, so no other parser can read a different host out of it.
 */
export function checkCallbackUrl(value: unknown): string {
  const field = "callback_url";
  if (typeof value === "string" && value.length > MAX_CALLBACK_URL_LENGTH) {
    throw new ValidationError(
      field,
      `${field} must be at most ${MAX_CALLBACK_URL_LENGTH} characters, got ${value.length}.`,
    );
  }
  if (typeof value !== "string" || value.trim() === "") {
    throw new ValidationError(field, `${field} must be a non-empty URL string.`);
  }
  const url = parseUnambiguousUrl(field, value);
  if (url.protocol !== "https:") {
    throw new ValidationError(field, `${field} must use https; the API refuses plain http callbacks.`);
  }
  const reason = refusedHostReason(url.hostname);
  if (reason) {
    throw new ValidationError(
      field,
      `${field} points at ${reason}; the API only calls public hosts. Use a public https URL (for local tests, a tunnel or the emulator's forwardCallbacksTo).`,
    );
  }
  if (url.href.length > MAX_CALLBACK_URL_LENGTH) {
    throw new ValidationError(
      field,
      `${field} must be at most ${MAX_CALLBACK_URL_LENGTH} characters once normalised, got ${url.href.length}.`,
    );
  }
  return url.href;
}
