import { redactText } from "./redact.js";

/** Anything with console-like methods; every method is optional. */
export interface Logger {
  debug?(message: string, meta?: Record<string, unknown>): void;
  info?(message: string, meta?: Record<string, unknown>): void;
  warn?(message: string, meta?: Record<string, unknown>): void;
  error?(message: string, meta?: Record<string, unknown>): void;
}

export type LogLevel = "debug" | "info" | "warn" | "error";

/** Calls `logger[level]` with secrets redacted; a throwing logger never breaks a request. */
export function log(
  logger: Logger | undefined,
  secrets: readonly string[],
  level: LogLevel,
  message: string,
  meta?: Record<string, unknown>,
): void {
  const fn = logger?.[level];
  if (!fn) return;
  try {
    const safeMeta = meta
      ? (JSON.parse(redactText(JSON.stringify(meta), secrets)) as Record<string, unknown>)
      : undefined;
    fn.call(logger, redactText(message, secrets), safeMeta);
  } catch {
    // Logging must never change the outcome of a request.
  }
}
