import { Writable } from "node:stream";
import type { Clock } from "@videoretalk/core";
import type { CliIO } from "../../src/io.js";

/** A captured output stream, optionally pretending to be a terminal. */
export class CapturedStream extends Writable {
  text = "";
  isTTY?: boolean;
  columns = 80;

  constructor(isTTY = false) {
    super();
    if (isTTY) this.isTTY = true;
  }

  /** Called after each write with everything written so far (to react to output as an event). */
  onText?: (text: string) => void;

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    this.onText?.(this.text);
    done();
  }
}

/** An in-process `CliIO` whose output the test reads back; only `env` is visible to the CLI. */
export function fakeIO(
  options: { env?: Record<string, string | undefined>; cwd?: string; signal?: AbortSignal; clock?: Clock } = {},
) {
  const stdout = new CapturedStream();
  const stderr = new CapturedStream();
  const io: CliIO = {
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    signal: options.signal ?? new AbortController().signal,
    ...(options.clock ? { clock: options.clock } : {}),
  };
  return { io, stdout, stderr };
}
