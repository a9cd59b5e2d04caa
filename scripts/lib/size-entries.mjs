// One table for the size budgets (`pnpm size`, via .size-limit.mjs) and the size comparison
// (`pnpm bench`, via scripts/bench-sizes.mjs), so both measure the same thing the same way:
// size-limit's esbuild bundle (browser platform, minified, tree-shaken) of
// `import { name } from "<package>"; console.log(name)`, gzip level 9, with dependencies and
// without the package's peer dependencies. Keeping `name` alive keeps everything one call to it
// needs (createVideoRetalk builds every resource of the client), so this is "import + one call".
import { existsSync } from "node:fs";
import { join } from "node:path";
import { listPackages, repoRoot } from "./workspace.mjs";

/**
 * Our packages, per minimal import. `target` is the size the project aims for (issue 5);
 * `limit` is what CI enforces today: the measured size plus a little headroom, so any growth
 * fails the build while the gap to `target` stays visible in `pnpm bench`. Lower `limit` as the
 * packages shrink; never raise it without saying why in the changeset.
 * Core is over target mainly because `client.raw` is openapi-fetch (2.6 kB on its own) and every
 * resource (files upload, callback-host rules) is reachable from `createVideoRetalk`.
 */
export const sdkBudgets = [
  { package: "@videoretalk/core", import: "{ createVideoRetalk }", limit: "13 kB", target: "4 kB" },
  { package: "@videoretalk/polling", import: "{ waitForTask }", limit: "2.7 kB", target: "1.5 kB" },
  { package: "@videoretalk/react", import: "{ VideoRetalkProvider, useLipSync }", limit: "2.5 kB", target: "2 kB" },
];

/** Other video-generation SDKs, measured the same way by `pnpm bench` (packages/bench-sizes). */
export const otherSdks = [
  { package: "openai", import: "OpenAI" },
  { package: "@runwayml/sdk", import: "RunwayML" },
  { package: "@fal-ai/client", import: "{ fal }" },
  { package: "replicate", import: "Replicate" },
];

/** The file a browser bundler picks for `import … from "<package>"`: the non-`node` `import` target. */
export function browserEntry(manifest) {
  let target = manifest.exports?.["."] ?? manifest.exports;
  while (target && typeof target === "object") {
    target = target.browser ?? target.import ?? target.default ?? target.module;
  }
  return (typeof target === "string" ? target : (manifest.module ?? manifest.main ?? "index.js")).replace(/^\.\//, "");
}

/**
 * The budgets of the packages that exist in the workspace, as size-limit checks. A budget whose
 * package has not landed yet is skipped (and reported); one whose package exists but is not
 * built fails (`unbuilt: "throw"`, for `pnpm size`, which builds first, so a missing file is a
 * broken build) or is skipped with a note (`unbuilt: "skip"`, for the informational bench).
 */
export function sdkChecks({ log = (line) => console.error(line), unbuilt = "throw" } = {}) {
  const packages = new Map(listPackages().map((pkg) => [pkg.name, pkg]));
  const checks = [];
  for (const budget of sdkBudgets) {
    const pkg = packages.get(budget.package);
    if (!pkg) {
      log(`size: skipping ${budget.package} (no such package in packages/ yet)`);
      continue;
    }
    const entry = join(pkg.relDir, browserEntry(pkg.manifest));
    if (!existsSync(join(repoRoot, entry))) {
      const message = `size: ${entry} does not exist; run \`pnpm build\` (the root \`size\` script does).`;
      if (unbuilt === "throw") throw new Error(message);
      log(message);
      continue;
    }
    checks.push({
      name: `${budget.package}: import ${budget.import}`,
      path: entry,
      import: budget.import,
      ignore: Object.keys(pkg.manifest.peerDependencies ?? {}),
      gzip: true,
      limit: budget.limit,
    });
  }
  return checks;
}
