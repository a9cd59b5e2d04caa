import { parseArgs } from "node:util";
import { type Emulator, type EmulatorOptions, startEmulator } from "./start-emulator.js";

/** The `videoretalk-emulator` command, with its process dependencies injected for tests. */

/** What {@link runCli} needs from the process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Registers a handler for SIGINT and SIGTERM. */
  onSignal: (handler: (signal: string) => void) => void;
  exit: (code: number) => void;
}

/** The binary's default port (4010 is taken by `pnpm mock`, Prism's mock of the same API). */
export const DEFAULT_PORT = 4020;

const HELP = `Usage: videoretalk-emulator [options]

A local, stateful stand-in for the Evolink VideoRetalk API (no lip-sync, no network).

Options:
  --port <n>                  TCP port (default 4020; 0 picks a free port)
  --speed <x>                 clock multiplier; at 1 a task takes 30-60 s (default 1)
  --api-key <key>             accept only this bearer token (default: any token)
  --host <address>            interface to listen on (default 127.0.0.1)
  --forward-callbacks-to <u>  send every callback to this http://127.0.0.1:<port> origin
  --callback-host <host>      deliver callback URLs on this loopback host[:port] as they are
                              (repeatable; default: none, callbacks are dropped)
  --cors-origin <origin>      let pages from this origin call the emulator (repeatable;
                              default: none; "*" allows any page)
  --credits <n>               starting credit balance; creates draw it down, 402 when it
                              cannot cover one (default: effectively unlimited)
  --creates-per-second <x>    rate limit on creates, in emulated seconds (scaled by --speed);
                              429 with Retry-After beyond it (default: none)
  --max-running <n>           429 for a create while n tasks are pending or processing
                              (default: none)
  -h, --help                  show this help

Prints the URL on stdout; Ctrl-C (SIGINT) or SIGTERM stops it.
`;

/**
 * Listening on every interface without `--api-key` lets anyone on the network create tasks and
 * read every upload: say so on stderr.
 */
export function exposureWarning(host: string | undefined, apiKey: string | undefined): string | undefined {
  if (apiKey !== undefined || (host !== "0.0.0.0" && host !== "::")) return undefined;
  return `warning: listening on ${host} (every interface) without --api-key: anyone who can reach this machine can use the emulator and read its uploads. Pass --api-key <key>, or --host 127.0.0.1.\n`;
}

function number(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) throw new TypeError(`${flag} must be a number, got "${text}".`);
  return value;
}

/** `--credits`, `--creates-per-second` and `--max-running` as `startEmulator` options. */
function accountingFlags(values: {
  credits?: string | undefined;
  "creates-per-second"?: string | undefined;
  "max-running"?: string | undefined;
}): Pick<EmulatorOptions, "credits" | "rateLimit"> {
  const out: Pick<EmulatorOptions, "credits" | "rateLimit"> = {};
  if (values.credits !== undefined) out.credits = number("--credits", values.credits, 0);
  const rateLimit: NonNullable<EmulatorOptions["rateLimit"]> = {};
  if (values["creates-per-second"] !== undefined) {
    rateLimit.createsPerSecond = number("--creates-per-second", values["creates-per-second"], 0);
  }
  if (values["max-running"] !== undefined)
    rateLimit.maxRunningTasks = number("--max-running", values["max-running"], 0);
  if (Object.keys(rateLimit).length > 0) out.rateLimit = rateLimit;
  return out;
}

/**
 * Parses `argv` (without node and script), starts the emulator and stops it on a signal.
 * Resolves to the running emulator, or `undefined` after `--help` (exit 0), a usage error
 * (exit 2) or a failure to start, such as a port in use (exit 1).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<Emulator | undefined> {
  let emulator: Emulator;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: "string" },
        speed: { type: "string" },
        "api-key": { type: "string" },
        host: { type: "string" },
        "forward-callbacks-to": { type: "string" },
        "callback-host": { type: "string", multiple: true },
        "cors-origin": { type: "string", multiple: true },
        credits: { type: "string" },
        "creates-per-second": { type: "string" },
        "max-running": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      io.stdout(HELP);
      io.exit(0);
      return undefined;
    }
    const options = {
      port: number("--port", values.port, DEFAULT_PORT),
      speed: number("--speed", values.speed, 1),
      ...(values["api-key"] === undefined ? {} : { apiKey: values["api-key"] }),
      ...(values.host === undefined ? {} : { host: values.host }),
      ...(values["forward-callbacks-to"] === undefined ? {} : { forwardCallbacksTo: values["forward-callbacks-to"] }),
      ...(values["callback-host"] === undefined ? {} : { callbackHosts: values["callback-host"] }),
      ...(values["cors-origin"] === undefined ? {} : { corsOrigins: values["cors-origin"] }),
      ...accountingFlags(values),
    };
    emulator = await startEmulator(options);
    io.stdout(`${emulator.url}\n`);
    const warning = exposureWarning(options.host, options.apiKey);
    if (warning) io.stderr(warning);
    io.stderr(
      [
        `videoretalk-emulator listening on ${emulator.url} (speed x${options.speed}, ${options.apiKey ? "one API key" : "any bearer token"})`,
        `  EVOLINK_BASE_URL=${emulator.url} EVOLINK_FILES_BASE_URL=${emulator.url}`,
        `  samples: ${emulator.url}/samples/speaker.mp4 ${emulator.url}/samples/speech.wav`,
        "Press Ctrl-C to stop.",
        "",
      ].join("\n"),
    );
  } catch (error) {
    // Bad flags (parseArgs and option checks throw TypeError/RangeError) exit 2; anything else,
    // such as a port already in use, exits 1.
    const usage = error instanceof TypeError || error instanceof RangeError;
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`videoretalk-emulator: ${message}\n${usage ? HELP : ""}`);
    io.exit(usage ? 2 : 1);
    return undefined;
  }
  let stopping = false;
  io.onSignal((signal) => {
    if (stopping) {
      io.exit(130);
      return;
    }
    stopping = true;
    io.stderr(`Received ${signal}, stopping.\n`);
    emulator.close().then(
      () => io.exit(0),
      () => io.exit(1),
    );
  });
  return emulator;
}
