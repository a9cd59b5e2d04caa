import { parseArgs } from "node:util";
import { type Emulator, startEmulator } from "./start-emulator.js";

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
  -h, --help                  show this help

Prints the URL on stdout; Ctrl-C (SIGINT) or SIGTERM stops it.
`;

function number(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) throw new TypeError(`${flag} must be a number, got "${text}".`);
  return value;
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
    };
    emulator = await startEmulator(options);
    io.stdout(`${emulator.url}\n`);
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
