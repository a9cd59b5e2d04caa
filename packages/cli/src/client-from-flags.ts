import {
  API_KEY_ENV,
  BASE_URL_ENV,
  type Clock,
  createVideoRetalk,
  DEFAULT_BASE_URL,
  DEFAULT_FILES_BASE_URL,
  FILES_BASE_URL_ENV,
  isLoopbackHost,
  systemClock,
  type VideoRetalkClient,
} from "@videoretalk/core";
import type { CliIO } from "./io.js";
import { UsageError } from "./report-error.js";

/** Connection flags every command accepts. */
export interface ConnectionFlags {
  baseUrl?: string;
  filesBaseUrl?: string;
}

/** The clock a run uses: the one `io` injects, else the system clock. */
export function cliClock(io: CliIO): Clock {
  return io.clock ?? systemClock;
}

function fromEnv(io: CliIO, name: string): string | undefined {
  const value = io.env[name]?.trim();
  return value === "" ? undefined : value;
}

/**
 * A core client configured from flags, then the environment of `io` (`EVOLINK_API_KEY`,
 * `EVOLINK_BASE_URL`, `EVOLINK_FILES_BASE_URL`), then the production defaults. Only `io.env` is
 * read (never `process.env` behind its back), so the CLI behaves the same in-process and spawned.
 *
 * @throws {UsageError} naming `EVOLINK_API_KEY` when it is missing or malformed; nothing is sent.
 * @throws {ValidationError} (core) for a bad `--base-url` / `--files-base-url`.
 */
export function clientFromFlags(flags: ConnectionFlags, io: CliIO): VideoRetalkClient {
  const apiKey = fromEnv(io, API_KEY_ENV);
  if (apiKey === undefined) {
    throw new UsageError(
      `${API_KEY_ENV} is not set: export your Evolink API key (https://evolink.ai/dashboard/keys) as ${API_KEY_ENV}.`,
    );
  }
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new UsageError(`${API_KEY_ENV} must be a single token without spaces or line breaks.`);
  }
  return createVideoRetalk({ apiKey, ...resolveConnection(flags, io), clock: cliClock(io) });
}

/** The API and Files API origins a run talks to: flags, then `io.env`, then the production defaults. */
export function resolveConnection(flags: ConnectionFlags, io: CliIO): { baseUrl: string; filesBaseUrl: string } {
  return {
    baseUrl: flags.baseUrl ?? fromEnv(io, BASE_URL_ENV) ?? DEFAULT_BASE_URL,
    filesBaseUrl: flags.filesBaseUrl ?? fromEnv(io, FILES_BASE_URL_ENV) ?? DEFAULT_FILES_BASE_URL,
  };
}

function isLoopbackHttp(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return url.protocol === "http:" && isLoopbackHost(url.hostname);
}

/**
 * Whether result downloads may reach loopback/private addresses over plain http: only when the
 * run talks to a local API (the emulator, `pnpm demo`, a local proxy) over loopback http. Against
 * a public https API, private and plain-http result URLs stay refused (downloadResult's default).
 */
export function allowsPrivateResults(flags: ConnectionFlags, io: CliIO): boolean {
  const { baseUrl, filesBaseUrl } = resolveConnection(flags, io);
  return isLoopbackHttp(baseUrl) || isLoopbackHttp(filesBaseUrl);
}

/**
 * The `downloadResult` options that follow from the connection: `{ allowPrivateNetwork: true }`
 * for a loopback http API (see {@link allowsPrivateResults}), else nothing (the safe default).
 */
export function resultDownloadPolicy(flags: ConnectionFlags, io: CliIO): { allowPrivateNetwork?: true } {
  return allowsPrivateResults(flags, io) ? { allowPrivateNetwork: true } : {};
}
