import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertRedisInstalled } from "@videoretalk/test-support/redis-server";

const root = fileURLToPath(new URL("..", import.meta.url));

function newestMtimeMs(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The multi-process tests spawn worker and coordinator processes that import the built package,
 * so rebuild `dist/` when `src/` is newer. Also fails the whole run at once, with the install
 * command, when redis-server is missing (these tests never skip).
 */
export default function setup(): void {
  assertRedisInstalled();
  const built = (() => {
    try {
      return statSync(join(root, "dist/index.js")).mtimeMs;
    } catch {
      return 0;
    }
  })();
  const sources = Math.max(newestMtimeMs(join(root, "src")), statSync(join(root, "tsdown.config.ts")).mtimeMs);
  if (built >= sources) return;
  const result = spawnSync(process.execPath, [join(root, "node_modules/tsdown/dist/run.mjs"), "--logLevel", "warn"], {
    cwd: root,
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`Building @videoretalk/bullmq failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}
