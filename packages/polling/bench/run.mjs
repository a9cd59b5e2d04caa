// `pnpm bench`: the polling-schedule benchmark, then every download benchmark (download-*.mjs).
// Each runs in its own Node process, one after another; the exit code is non-zero if any failed.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const scripts = [
  "schedule.mjs",
  ...readdirSync(here)
    .filter((name) => /^download-.*\.mjs$/.test(name))
    .sort(),
];

let failed = 0;
for (const script of scripts) {
  console.log(`\n=== bench/${script} ===`);
  const result = spawnSync(process.execPath, [join(here, script)], { stdio: "inherit" });
  if (result.status !== 0) {
    failed++;
    console.error(`bench/${script} exited with ${result.status ?? result.signal}`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
