#!/usr/bin/env node
// Finds a Chromium (or Chrome) for the browser suites, and sets one up when there is none.
//   findChromium(deps)    looks only: CHROMIUM_PATH / CHROME_PATH, then chromium/chrome on PATH and
//                         their usual install paths, then Playwright's browser cache.
//   ensureChromium(deps)  looks, then tries `playwright-core install chromium` (Playwright's CDN),
//                         then, on Debian/Ubuntu as root, `apt-get install -y chromium`, saying what
//                         it does; when nothing works it throws ChromiumNotFoundError with the one
//                         command to run.
// Every side effect (file checks, PATH lookup, commands, logging) comes in through `deps`, so the
// search order is unit-tested without a browser or apt (packages/runtime-matrix/test).
// CLI: `node tools/find-chromium.mjs` prints the path (exit 1 when none);
//      `node tools/find-chromium.mjs --install` sets one up first if needed.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Environment variables that name a browser binary, in the order they are read. */
export const CHROMIUM_ENV_VARS = ["CHROMIUM_PATH", "CHROME_PATH"];

/** Commands looked up on PATH. */
const PATH_COMMANDS = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"];

/** Usual install locations that may not be on PATH. */
const KNOWN_PATHS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/snap/bin/chromium",
  "/usr/bin/google-chrome",
  "/opt/google/chrome/chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
];

/** Executables inside one Playwright cache folder (`chromium-1234`, `chromium_headless_shell-1234`). */
const PLAYWRIGHT_EXECUTABLES = [
  "chrome-linux64/chrome",
  "chrome-linux/chrome",
  "chrome-headless-shell-linux64/chrome-headless-shell",
  "chrome-linux/headless_shell",
  "chrome-mac/Chromium.app/Contents/MacOS/Chromium",
  "chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
];

/**
 * Everything the locator touches on the machine, injectable for tests.
 * @typedef {{ env: Record<string, string | undefined>, platform: string, home: string,
 *   exists: (path: string) => boolean, readdir: (dir: string) => string[],
 *   which: (command: string) => string | undefined }} LookupDeps
 * @typedef {LookupDeps & { exec: (command: string, args: string[]) => boolean,
 *   log: (line: string) => void, isRoot: boolean, isDebian: boolean,
 *   playwrightCli: string | undefined }} ChromiumDeps
 * @typedef {{ path: string, source: string }} FoundChromium
 */

/** Thrown by {@link ensureChromium} when no browser could be found or set up. */
export class ChromiumNotFoundError extends Error {
  /**
   * @param {string} command the one command that sets up a browser on this machine
   * @param {string[]} tried what was tried, for the message
   */
  constructor(command, tried) {
    super(`No Chromium found (tried: ${tried.join("; ")}). Install one with:\n  ${command}`);
    this.name = "ChromiumNotFoundError";
    this.command = command;
  }
}

/**
 * Where Playwright keeps its browsers: PLAYWRIGHT_BROWSERS_PATH, else its per-OS cache folder.
 * @param {Pick<LookupDeps, "env" | "platform" | "home">} deps
 */
export function playwrightCacheDir({ env, platform, home }) {
  if (env.PLAYWRIGHT_BROWSERS_PATH && env.PLAYWRIGHT_BROWSERS_PATH !== "0") return env.PLAYWRIGHT_BROWSERS_PATH;
  if (platform === "darwin") return join(home, "Library", "Caches", "ms-playwright");
  if (platform === "win32") return join(env.LOCALAPPDATA ?? join(home, "AppData", "Local"), "ms-playwright");
  return join(env.XDG_CACHE_HOME ?? join(home, ".cache"), "ms-playwright");
}

/**
 * Looks for a browser without installing anything.
 * @param {LookupDeps} deps
 * @returns {FoundChromium | undefined}
 */
export function findChromium(deps) {
  for (const name of CHROMIUM_ENV_VARS) {
    const path = deps.env[name];
    if (path && deps.exists(path)) return { path, source: `$${name}` };
  }
  for (const command of PATH_COMMANDS) {
    const path = deps.which(command);
    if (path) return { path, source: `\`${command}\` on PATH` };
  }
  for (const path of KNOWN_PATHS) if (deps.exists(path)) return { path, source: "a system install" };
  const cache = playwrightCacheDir(deps);
  // Newest first: folder names end in Playwright's browser revision.
  const folders = deps
    .readdir(cache)
    .filter((name) => name.startsWith("chromium"))
    .sort((a, b) => Number(b.replace(/\D/g, "")) - Number(a.replace(/\D/g, "")));
  for (const folder of folders) {
    for (const executable of PLAYWRIGHT_EXECUTABLES) {
      const path = join(cache, folder, executable);
      if (deps.exists(path)) return { path, source: "Playwright's browser cache" };
    }
  }
  return undefined;
}

/**
 * The one command a person runs when every automatic way failed.
 * @param {{ platform: string, isRoot: boolean, isDebian: boolean }} machine
 */
export function installCommand({ platform, isRoot, isDebian }) {
  if (platform === "linux" && isDebian) return `${isRoot ? "" : "sudo "}apt-get install -y chromium`;
  return "pnpm --filter @videoretalk/runtime-matrix exec playwright-core install chromium";
}

/**
 * Finds a browser, or sets one up: Playwright's `install chromium` first, then apt on
 * Debian/Ubuntu when running as root. Logs each step through `deps.log`.
 *
 * @param {ChromiumDeps} deps
 * @returns {FoundChromium}
 * @throws {ChromiumNotFoundError} when no way works
 */
export function ensureChromium(deps) {
  const found = findChromium(deps);
  if (found) return found;
  const tried = ["CHROMIUM_PATH/CHROME_PATH", "chromium/chrome on PATH", "Playwright's cache"];
  /** @type {{ what: string, steps: [string, string[]][] }[]} */
  const attempts = [];
  if (deps.playwrightCli) {
    attempts.push({
      what: "Playwright's `install chromium` (downloads from Playwright's CDN)",
      steps: [[process.execPath, [deps.playwrightCli, "install", "chromium"]]],
    });
  }
  if (deps.platform === "linux" && deps.isRoot && deps.isDebian) {
    attempts.push({
      what: "`apt-get install -y chromium` (Debian/Ubuntu, as root)",
      steps: [
        ["apt-get", ["update", "-qq"]],
        ["apt-get", ["install", "-y", "-qq", "chromium"]],
      ],
    });
  }
  for (const attempt of attempts) {
    deps.log(`No Chromium found; setting one up with ${attempt.what}.`);
    const ran = attempt.steps.every(([command, args]) => deps.exec(command, args));
    const now = ran ? findChromium(deps) : undefined;
    if (now) {
      deps.log(`Chromium set up: ${now.path}`);
      return now;
    }
    deps.log(`${attempt.what} did not provide a browser.`);
    tried.push(attempt.what);
  }
  throw new ChromiumNotFoundError(installCommand(deps), tried);
}

/** Resolves playwright-core's CLI from the workspace package that pins it. */
function locatePlaywrightCli() {
  try {
    const require = createRequire(join(repoRoot, "packages/runtime-matrix/package.json"));
    const cli = join(dirname(require.resolve("playwright-core/package.json")), "cli.js");
    return existsSync(cli) ? cli : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The real machine: file system, PATH, child processes, console.
 * @returns {ChromiumDeps}
 */
export function systemDeps(env = process.env) {
  return {
    env,
    platform: process.platform,
    home: homedir(),
    exists: (path) => existsSync(path),
    readdir: (dir) => {
      try {
        return readdirSync(dir);
      } catch {
        return [];
      }
    },
    which: (command) => {
      for (const dir of (env.PATH ?? "").split(process.platform === "win32" ? ";" : ":")) {
        if (dir && existsSync(join(dir, command))) return join(dir, command);
      }
      return undefined;
    },
    exec: (command, args) => {
      // Hang guard: an unreachable CDN or mirror must not stall the run.
      const result = spawnSync(command, args, {
        stdio: "inherit",
        timeout: 300_000,
        env: { ...env, DEBIAN_FRONTEND: "noninteractive" },
      });
      return result.status === 0;
    },
    log: (line) => console.error(`[find-chromium] ${line}`),
    isRoot: typeof process.getuid === "function" && process.getuid() === 0,
    isDebian: existsSync("/etc/debian_version"),
    playwrightCli: locatePlaywrightCli(),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const deps = systemDeps();
  try {
    const found = process.argv.includes("--install") ? ensureChromium(deps) : findChromium(deps);
    if (!found) throw new ChromiumNotFoundError(installCommand(deps), ["CHROMIUM_PATH/CHROME_PATH", "PATH", "cache"]);
    console.log(found.path);
  } catch (error) {
    console.error(error instanceof ChromiumNotFoundError ? error.message : error);
    process.exitCode = 1;
  }
}
