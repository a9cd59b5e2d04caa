#!/usr/bin/env node
// `pnpm test:all`: every suite without a browser (`pnpm test`), then the Chromium suites
// (`pnpm test:browser`). The second runs even when the first failed, so one run reports every
// failure; the exit code is non-zero if either failed.
// First it finds a Chromium (tools/find-chromium.mjs), setting one up when there is none, and
// hands its path to every suite as CHROMIUM_PATH (the runtime matrix in `pnpm test` uses it too),
// and makes sure of redis-server and ffprobe (tools/ensure-system-tools.mjs).
import { spawnSync } from "node:child_process";
import { ensureSystemTools, systemToolDeps } from "./ensure-system-tools.mjs";
import { ChromiumNotFoundError, ensureChromium, systemDeps } from "./find-chromium.mjs";

let failed = false;
const env = { ...process.env };
const tools = ensureSystemTools(systemToolDeps());
if (tools.command) console.error(`Missing ${tools.missing.join(", ")}: run \`${tools.command}\`.`);
let chromiumMissing;
try {
  const chromium = ensureChromium(systemDeps());
  env.CHROMIUM_PATH = chromium.path;
  console.log(`Chromium for the browser suites: ${chromium.path} (from ${chromium.source}).`);
} catch (error) {
  if (!(error instanceof ChromiumNotFoundError)) throw error;
  // The suites still run; their browser parts fail naming the same command.
  chromiumMissing = error;
  failed = true;
}
for (const script of ["test", "test:browser"]) {
  const result = spawnSync("pnpm", ["run", script], { stdio: "inherit", env });
  if (result.status !== 0) {
    failed = true;
    console.error(`pnpm ${script} failed (exit ${result.status ?? result.signal}).`);
  }
}
if (chromiumMissing) console.error(`\n${chromiumMissing.message}`);
process.exitCode = failed ? 1 : 0;
