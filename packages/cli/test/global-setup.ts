import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

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
 * The scenario tests spawn the built binary, so rebuild it when `src/` is newer than
 * `dist/main.js` (turbo's `test` task only builds the dependencies). The workspace packages it
 * imports (core, polling, emulator) must already be built: `pnpm turbo run build --filter=@videoretalk/cli...`.
 */
export default function setup(): void {
  const built = (() => {
    try {
      return statSync(join(root, "dist/main.js")).mtimeMs;
    } catch {
      return 0;
    }
  })();
  const sources = Math.max(
    newestMtimeMs(join(root, "src")),
    statSync(join(root, "tsdown.config.ts")).mtimeMs,
    statSync(join(root, "package.json")).mtimeMs,
  );
  if (built >= sources) return;
  const result = spawnSync(process.execPath, [join(root, "node_modules/tsdown/dist/run.mjs"), "--logLevel", "warn"], {
    cwd: root,
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`Building the CLI failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}
