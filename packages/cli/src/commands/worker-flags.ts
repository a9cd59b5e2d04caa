import { DEFAULT_CONCURRENCY, DEFAULT_QUEUE_NAME } from "@videoretalk/bullmq";
import { ValidationError } from "@videoretalk/core";
import { callbackUrl, MIN_SECRET_LENGTH } from "@videoretalk/server";
import type { ConnectionFlags } from "../client-from-flags.js";
import { checkRedisFlag } from "../redis-flag.js";
import { UsageError } from "../report-error.js";

/** The environment variable that holds the secret `callback_url`s are signed with. */
export const WEBHOOK_SECRET_ENV = "VR_WEBHOOK_SECRET";

/** Where the webhook receiver listens unless `--webhook-host` says otherwise (put a proxy or tunnel in front). */
export const DEFAULT_WEBHOOK_HOST = "127.0.0.1";

/**
 * `videoretalk worker --redis <url> [--queue <name>] [--concurrency <n>] [--creates-per-second <n>]
 * [--callback-base-url <https url> [--webhook-port <n>] [--webhook-host <host>]]`.
 */
export interface WorkerFlags extends ConnectionFlags {
  redis: string;
  queue?: string;
  concurrency?: string;
  createsPerSecond?: string;
  callbackBaseUrl?: string;
  webhookPort?: string;
  webhookHost?: string;
  json?: boolean;
}

/** The worker's settings once every flag is checked. */
export interface WorkerSettings {
  queueName: string;
  concurrency: number;
  createsPerSecond: number | undefined;
  /** Tasks get a signed `callback_url` under `baseUrl`. */
  callbacks: { baseUrl: string; secret: string } | undefined;
  /** Run the webhook receiver on this address. */
  webhook: { host: string; port: number } | undefined;
}

function parseConcurrency(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new UsageError(`--concurrency must be a positive integer, got "${value}".`);
  }
  return Number(value);
}

function parseCreatesPerSecond(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const rate = Number(value);
  if (value.trim() === "" || !Number.isFinite(rate) || rate <= 0) {
    throw new UsageError(`--creates-per-second must be a number > 0 (your account's create rate), got "${value}".`);
  }
  return rate;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65_535) {
    throw new UsageError(`--webhook-port must be a port number from 0 to 65535, got "${value}".`);
  }
  return port;
}

/** `--callback-base-url` with the secret from the environment, checked by signing a URL with them. */
async function parseCallbacks(
  flags: WorkerFlags,
  env: Record<string, string | undefined>,
): Promise<WorkerSettings["callbacks"]> {
  const baseUrl = flags.callbackBaseUrl;
  if (baseUrl === undefined) return undefined;
  if (!/^https:\/\//i.test(baseUrl.trim())) {
    throw new UsageError(
      `--callback-base-url must be an https:// URL the API can reach (it only calls public https URLs), got "${baseUrl}".`,
    );
  }
  const secret = env[WEBHOOK_SECRET_ENV];
  if (secret === undefined || secret.length < MIN_SECRET_LENGTH) {
    throw new UsageError(
      `--callback-base-url needs the signing secret in ${WEBHOOK_SECRET_ENV} (at least ${MIN_SECRET_LENGTH} characters, e.g. openssl rand -hex 32); ` +
        "give every worker and the receiver the same one.",
    );
  }
  try {
    await callbackUrl(baseUrl, { secret });
  } catch (error) {
    if (error instanceof ValidationError) throw new UsageError(`--callback-base-url: ${error.message}`);
    throw error;
  }
  return { baseUrl, secret };
}

function parseWebhook(flags: WorkerFlags): WorkerSettings["webhook"] {
  if (flags.webhookPort === undefined) {
    if (flags.webhookHost !== undefined) throw new UsageError("--webhook-host needs --webhook-port.");
    return undefined;
  }
  if (flags.callbackBaseUrl === undefined) {
    throw new UsageError(
      "--webhook-port needs --callback-base-url (the public https URL that reaches this port), or no task would call it.",
    );
  }
  const host = flags.webhookHost ?? DEFAULT_WEBHOOK_HOST;
  if (host.trim() === "") throw new UsageError("--webhook-host must not be empty.");
  return { host, port: parsePort(flags.webhookPort) };
}

/**
 * Checks every flag of `videoretalk worker` before anything connects.
 *
 * @throws {UsageError} naming the flag (exit 2).
 */
export async function parseWorkerFlags(
  flags: WorkerFlags,
  env: Record<string, string | undefined>,
): Promise<WorkerSettings> {
  const concurrency = parseConcurrency(flags.concurrency);
  const createsPerSecond = parseCreatesPerSecond(flags.createsPerSecond);
  checkRedisFlag(flags.redis);
  const webhook = parseWebhook(flags);
  const callbacks = await parseCallbacks(flags, env);
  return { queueName: flags.queue ?? DEFAULT_QUEUE_NAME, concurrency, createsPerSecond, callbacks, webhook };
}
