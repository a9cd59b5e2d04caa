#!/usr/bin/env node
// `pnpm test:all`: every suite without a browser (`pnpm test`), then the Chromium suites
// (`pnpm test:browser`). The second runs even when the first failed, so one run reports every
// failure; the exit code is non-zero if either failed.
import { spawnSync } from "node:child_process";

let failed = false;
for (const script of ["test", "test:browser"]) {
  const result = spawnSync("pnpm", ["run", script], { stdio: "inherit" });
  if (result.status !== 0) {
    failed = true;
    console.error(`pnpm ${script} failed (exit ${result.status ?? result.signal}).`);
  }
}
process.exitCode = failed ? 1 : 0;
