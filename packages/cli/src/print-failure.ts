import { ManifestError } from "@videoretalk/batch";
import { ExitCode, type ExitCodeValue } from "./exit-codes.js";
import type { CliIO } from "./io.js";
import { terminalSafe } from "./terminal-text.js";

/**
 * Prints a failure that needs no more than its message (no API framing, no hint) and returns its
 * exit code: with `--json` the document `{ error: { name, message }, exitCode }` on stdout, else
 * `error: <message>` on stderr, stripped of terminal control characters.
 */
export function printFailure(
  error: { name: string; message: string },
  exitCode: ExitCodeValue,
  io: CliIO,
  json: boolean,
): ExitCodeValue {
  if (json) {
    io.stdout.write(`${JSON.stringify({ error: { name: error.name, message: error.message }, exitCode })}\n`);
  } else {
    io.stderr.write(`error: ${terminalSafe(error.message)}\n`);
  }
  return exitCode;
}

/**
 * Prints a "fix the command or the files" problem (exit 2): the message's every line, and with
 * `--json` a manifest's per-row `problems` too, so a script can point at the bad rows.
 */
export function printUsageProblem(message: string, error: unknown, io: CliIO, json: boolean): ExitCodeValue {
  if (json) {
    const problems = error instanceof ManifestError ? error.problems : undefined;
    const name = error instanceof Error ? error.name : "UsageError";
    io.stdout.write(`${JSON.stringify({ error: { name, message, problems }, exitCode: ExitCode.Usage })}\n`);
  } else {
    for (const [index, line] of message.split("\n").entries()) {
      io.stderr.write(`${index === 0 ? "error: " : ""}${terminalSafe(line)}\n`);
    }
  }
  return ExitCode.Usage;
}
