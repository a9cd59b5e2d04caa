import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The built binary, as `npm i -g @videoretalk/cli` would run it. */
export const CLI_PATH = fileURLToPath(new URL("../../dist/main.js", import.meta.url));

/** How a spawned CLI run ended. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

/** A running CLI child process. */
export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stderr matches `pattern` (with the match), rejects if the process ends first. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  done: Promise<CliResult>;
}

/** The environment of a CLI run: only what the test sets, plus PATH, so the host's EVOLINK_* cannot leak in. */
export function cliEnv(apiUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    EVOLINK_API_KEY: "test-key-not-secret",
    EVOLINK_BASE_URL: apiUrl,
    EVOLINK_FILES_BASE_URL: apiUrl,
    ...extra,
  };
}

/** Spawns `node dist/main.js …args` with piped (non-TTY) output. */
export function spawnCli(args: string[], options: { env: Record<string, string>; cwd?: string }): RunningCli {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    env: options.env,
    cwd: options.cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const watchers = new Set<() => void>();
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    for (const watcher of watchers) watcher();
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      for (const watcher of watchers) watcher();
      resolve({ code, signal, stdout, stderr, elapsedMs: Date.now() - started });
    });
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    done,
    // The default is a hang guard below the test timeout (120 s), not a speed requirement.
    waitForStderr(pattern, timeoutMs = 100_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`stderr never matched ${pattern} within ${timeoutMs} ms:\n${stderr}`));
        }, timeoutMs);
        const check = () => {
          const match = stderr.match(pattern);
          const ended = child.exitCode !== null || child.signalCode !== null;
          if (!match && !ended) return;
          clearTimeout(timer);
          watchers.delete(check);
          if (match) resolve(match);
          else reject(new Error(`the CLI exited (${child.exitCode}) before stderr matched ${pattern}:\n${stderr}`));
        };
        watchers.add(check);
        check();
      });
    },
  };
}

/** Runs the built CLI to completion. */
export function runCli(args: string[], options: { env: Record<string, string>; cwd?: string }): Promise<CliResult> {
  return spawnCli(args, options).done;
}
