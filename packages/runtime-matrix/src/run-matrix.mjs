#!/usr/bin/env node
// The runtime matrix: starts the emulator on 127.0.0.1, runs suite/ on every runtime of
// runtimes.mjs, prints one row per runtime, writes .reports/runtime-matrix.json for
// tools/ci-summary.mjs, and exits 1 when any row failed. A runtime that cannot start (binary
// missing, crash, hang) fails its row with the command that fixes it; nothing is skipped.
// Usage: node src/run-matrix.mjs [--browser | --all] [runtime id ...]
//   default: every runtime but Chromium (`pnpm test` needs no browser); --browser: Chromium only
//   (the package's `test:browser`, part of `pnpm test:browser`); --all: both. Runtime ids pick rows
//   and write no report.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator } from "@videoretalk/emulator";
import { findChromium, installCommand, systemDeps } from "../../../tools/find-chromium.mjs";
import { startPageServer } from "./page-server.mjs";
import { writeReport } from "./report.mjs";
import { runtimes } from "./runtimes.mjs";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Emulated seconds per real second: a 30–60 s task ends in 100–200 ms. */
const EMULATOR_SPEED = 300;
const API_KEY = "sk-runtime-matrix-0123456789abcdef";

function locateChromium() {
  const deps = systemDeps();
  const found = findChromium(deps);
  return found ?? { error: `no Chromium found; run \`${installCommand(deps)}\` or set CHROMIUM_PATH` };
}

async function runRow(runtime, emulatorUrl, tempDir) {
  const config = { emulatorUrl, apiKey: API_KEY, runtime: runtime.id };
  if (runtime.fileSystem) config.tempDir = tempDir;
  const started = Date.now();
  try {
    const results = await runtime.run(config);
    return { runtime: runtime.id, results, ms: Date.now() - started };
  } catch (error) {
    const message = String(error?.message ?? error);
    return {
      runtime: runtime.id,
      results: [{ name: "runtime starts and runs the suite", status: "failed", message }],
      ms: Date.now() - started,
    };
  }
}

/** Runs rows two at a time (the machine may have only two cores), keeping their order. */
async function runAll(selected, emulatorUrl, tempDir) {
  const rows = new Array(selected.length);
  let next = 0;
  const worker = async () => {
    while (next < selected.length) {
      const index = next++;
      rows[index] = await runRow(selected[index], emulatorUrl, tempDir);
    }
  };
  await Promise.all([worker(), worker()]);
  return rows;
}

function printRows(rows) {
  for (const row of rows) {
    const passed = row.results.filter((r) => r.status === "passed").length;
    const failed = row.results.length - passed;
    console.log(`${row.runtime.padEnd(9)} passed ${passed}, failed ${failed}   (${(row.ms / 1000).toFixed(1)} s)`);
    for (const result of row.results.filter((r) => r.status !== "passed")) {
      console.log(`  ✗ ${result.name}\n    ${String(result.message).split("\n").slice(0, 6).join("\n    ")}`);
    }
  }
}

const args = process.argv.slice(2);
const mode = args.includes("--browser") ? "browser" : args.includes("--all") ? "all" : "default";
const wanted = args.filter((arg) => !arg.startsWith("--"));
const pageServer = await startPageServer();
const all = runtimes({ locateChromium, pageServer });
const inMode = (runtime) => mode === "all" || (mode === "browser") === (runtime.id === "chromium");
const selected = wanted.length ? all.filter((runtime) => wanted.includes(runtime.id)) : all.filter(inMode);
const reportName = mode === "browser" ? "runtime-matrix-browser.json" : "runtime-matrix.json";
const emulator = await startEmulator({
  port: 0,
  speed: EMULATOR_SPEED,
  apiKey: API_KEY,
  // The Chromium row's page calls the emulator cross-origin.
  corsOrigins: [pageServer.origin],
});
const tempDir = mkdtempSync(join(tmpdir(), "runtime-matrix-"));
try {
  const rows = await runAll(selected, emulator.url, tempDir);
  console.log(`runtime matrix (emulator at ${emulator.url}, speed ${EMULATOR_SPEED}):`);
  printRows(rows);
  if (!wanted.length) writeReport(join(packageDir, ".reports"), reportName, rows);
  // A runtime that reported nothing proved nothing: its row fails.
  process.exitCode = rows.every((row) => row.results.length > 0 && row.results.every((r) => r.status === "passed"))
    ? 0
    : 1;
} finally {
  await emulator.close();
  await pageServer.close();
  rmSync(tempDir, { recursive: true, force: true });
}
