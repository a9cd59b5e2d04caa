import { redactText } from "./redact.js";

/** Response headers as a plain lower-cased record, without cookies, with `secrets` redacted. */
export function headersToRecord(headers: Headers, secrets: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    if (key !== "set-cookie") out[key] = redactText(value, secrets);
  });
  return out;
}
