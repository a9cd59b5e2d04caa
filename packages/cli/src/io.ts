import type { Clock } from "@videoretalk/core";

/** Where the CLI reads and writes; `main.ts` wires the real process, tests pass their own. */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /**
   * Time source of the API client (request deadlines, retry waits), the `--timeout` of a wait and
   * the elapsed time in summaries. Default: the system clock. Tests pass a fake clock so a
   * timeout is reached by moving time, not by waiting for it.
   */
  clock?: Clock;
}
