#!/usr/bin/env node
// Part of `pnpm bench` (run as the `bench` script of the private tools package, which holds the
// other SDKs as its devDependencies). Prints, side by side and from one run, the same
// measurement `pnpm size` budgets: size-limit's esbuild bundle of a minimal import, minified,
// gzip level 9, with dependencies, peers excluded. Our packages come from their built dist/
// (the ESM browser entry); the other SDKs resolve from tools/node_modules exactly
// as a bundler would resolve them in an app (package `exports`, browser conditions).
// Usage: node tools/bench-sizes.mjs [--json]. Needs our packages built (turbo's bench task
// builds the tools package's workspace dependencies first).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import smallLib from "@size-limit/preset-small-lib";
import sizeLimit from "size-limit";
import { initialLoadOnly, otherSdks, sdkBudgets, sdkChecks } from "./lib/size-entries.mjs";
import { printTable, repoRoot } from "./lib/workspace.mjs";

const benchDir = join(repoRoot, "tools");
const benchRequire = createRequire(join(benchDir, "package.json"));

function installedVersion(name) {
  // Some packages do not export ./package.json; read it from the resolved folder instead.
  const entry = benchRequire.resolve(name);
  const marker = `/node_modules/${name}/`;
  const dir = entry.slice(0, entry.lastIndexOf(marker) + marker.length);
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
}

/** size-limit's own pipeline (the preset's esbuild and file plugins), outside its CLI. */
async function measure(check) {
  const [result] = await sizeLimit(smallLib, { checks: [check] });
  return result.size;
}

function formatBytes(bytes) {
  return bytes >= 1000 ? `${(bytes / 1000).toFixed(2)} kB` : `${bytes} B`;
}

const rows = [];
for (const check of sdkChecks({ unbuilt: "skip" })) {
  const name = check.name.split(":")[0];
  const file = join(repoRoot, check.path);
  const version = JSON.parse(
    readFileSync(join(repoRoot, check.path.split("/dist/")[0], "package.json"), "utf8"),
  ).version;
  const size = await measure({
    files: [file],
    import: { [file]: check.import },
    ignore: check.ignore,
    gzip: true,
    modifyEsbuildConfig: check.modifyEsbuildConfig,
  });
  // Without code splitting every `import()` is inlined: the code a user of every feature loads.
  const withLazy = await measure({ files: [file], import: { [file]: check.import }, ignore: check.ignore, gzip: true });
  rows.push({
    name,
    version,
    import: check.import,
    size,
    withLazy,
    limit: check.limit,
    target: sdkBudgets.find((budget) => budget.package === name)?.target ?? "",
    aim: sdkBudgets.find((budget) => budget.package === name)?.aim ?? "",
    peers: check.ignore.length,
  });
}
for (const sdk of otherSdks) {
  const size = await measure({
    files: [],
    // Written to a temp folder by size-limit; nodePaths lets esbuild resolve the bare name
    // from the bench package like an app's bundler would.
    import: { [sdk.package]: sdk.import },
    gzip: true,
    modifyEsbuildConfig: (config) => initialLoadOnly({ ...config, nodePaths: [join(benchDir, "node_modules")] }),
  });
  const withLazy = await measure({
    files: [],
    import: { [sdk.package]: sdk.import },
    gzip: true,
    modifyEsbuildConfig: (config) => ({ ...config, nodePaths: [join(benchDir, "node_modules")] }),
  });
  rows.push({
    name: sdk.package,
    version: installedVersion(sdk.package),
    import: sdk.import,
    size,
    withLazy,
    limit: "",
    target: "",
    aim: "",
    peers: 0,
  });
}

/** Whether a row is within `bound` (written like "4 kB", decimal kilobytes). */
function within(row, bound) {
  const [value, unit] = bound.split(" ");
  return row.size <= Number(value) * (unit === "kB" ? 1000 : 1);
}

if (process.argv.includes("--json")) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log(
    "bundle size: esbuild (browser, minified, code splitting) of `import … from <package>` + one use, gzip -9 per\n" +
      "file, deps included. min+gzip = the initial load (entry + static chunks); with lazy = every import() inlined\n",
  );
  printTable([
    ["package", "version", "import", "min+gzip", "with lazy", "CI limit", "target", "aim", "note"],
    ...rows.map((row) => [
      row.name,
      row.version,
      row.import,
      formatBytes(row.size),
      formatBytes(row.withLazy),
      row.limit,
      row.target ? `${row.target} ${within(row, row.target) ? "met" : "NOT met"}` : "",
      row.aim ? `${row.aim} ${within(row, row.aim) ? "reached" : "not yet"}` : "",
      row.peers ? `${row.peers} peer(s) excluded` : "",
    ]),
  ]);
}
