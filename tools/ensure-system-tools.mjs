#!/usr/bin/env node
// The Debian programs the suites run for real, besides Chromium (tools/find-chromium.mjs):
// `redis-server` (the BullMQ package starts one on a free loopback port) and `ffprobe` (preflight's
// durations are checked against it). `pnpm test:all` calls this first so that the README's two
// commands stay the whole set-up: missing programs are installed with apt on Debian/Ubuntu as
// root, saying so; otherwise it prints the one command to run, and the suites that need them fail
// naming it too (they never skip).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** Program on PATH → the Debian package that provides it. */
export const SYSTEM_TOOLS = { "redis-server": "redis-server", ffprobe: "ffmpeg" };

/** Programs of `tools` that `which` cannot find. */
export function missingTools(tools, which) {
  return Object.keys(tools).filter((program) => !which(program));
}

/**
 * Installs the packages of the missing programs when the machine allows it.
 * @returns {{ missing: string[], command: string | undefined }} what is still missing, and the command to run
 */
export function ensureSystemTools({ tools = SYSTEM_TOOLS, which, exec, log, isRoot, isDebian }) {
  const before = missingTools(tools, which);
  if (before.length === 0) return { missing: [], command: undefined };
  const packages = [...new Set(before.map((program) => tools[program]))];
  const command = `${isRoot ? "" : "sudo "}apt-get install -y ${packages.join(" ")}`;
  if (isRoot && isDebian) {
    log(`Missing ${before.join(", ")}; installing with \`apt-get install -y ${packages.join(" ")}\`.`);
    const ok = exec("apt-get", ["update", "-qq"]) && exec("apt-get", ["install", "-y", "-qq", ...packages]);
    if (!ok) log("apt-get did not finish.");
  }
  const after = missingTools(tools, which);
  return { missing: after, command: after.length > 0 ? command : undefined };
}

function which(program) {
  return (process.env.PATH ?? "").split(":").some((dir) => dir !== "" && existsSync(join(dir, program)));
}

/** The real machine. */
export function systemToolDeps() {
  return {
    which,
    exec: (command, args) =>
      spawnSync(command, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } })
        .status === 0,
    log: (line) => console.log(line),
    isRoot: typeof process.getuid === "function" && process.getuid() === 0,
    isDebian: process.platform === "linux" && existsSync("/etc/debian_version"),
  };
}
