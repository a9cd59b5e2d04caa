#!/usr/bin/env node
// `pnpm docs:api`: the API reference, built by TypeDoc from the TSDoc of every publishable package,
// into docs/api/ (git-ignored). Any TypeDoc warning fails the build (treatWarningsAsErrors).
//
// TypeDoc's "merge" strategy, in two steps, so each package is converted with its own tsconfig
// and its own entry points:
//   1. per package: the entry points are the sources of its exported subpaths (the non-`node`
//      `import` target `dist/<name>.js` is built from `src/<name>.ts[x]`, as tsdown names it),
//      compiled with the package's tsconfig narrowed to src/, converted and validated, written
//      as JSON to .tmp/docs/<package>.json;
//   2. the JSON files are merged into one site, with the root README as its front page.
// A package that only has a `bin` (no importable entry point) has no API to document.
// Usage: node tools/docs.mjs [package ...] (default: every publishable package).
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { Application, Logger, LogLevel, OptionDefaults } from "typedoc";
import { codeSubpaths, printTable, publishablePackages, repoRoot, secondsSince } from "./lib/workspace.mjs";

const outDir = join(repoRoot, "docs/api");
const jsonDir = join(repoRoot, ".tmp/docs");

const shared = {
  // openapi-typescript writes @description and @constant into the generated types.
  blockTags: [...OptionDefaults.blockTags, "@description", "@constant"],
  excludePrivate: true,
  excludeInternal: true,
  // Source links need a remote TypeDoc can read; CI's clone may have none.
  disableSources: true,
  treatWarningsAsErrors: true,
  logLevel: LogLevel.Warn,
};

/** Collects what TypeDoc logs, so each package's warnings are counted and shown in the table. */
class CountingLogger extends Logger {
  messages = [];
  log(message, level) {
    super.log(message, level);
    if (level < LogLevel.Warn) return;
    this.messages.push(message);
    console.error(`${LogLevel[level].toLowerCase()}: ${message}`);
  }
}

function subpathSource(pkg, subpath) {
  let target = pkg.manifest.exports?.[subpath] ?? (subpath === "." ? pkg.manifest.exports : undefined);
  while (target && typeof target === "object") target = target.import ?? target.default ?? target.require;
  const built =
    typeof target === "string" ? target : subpath === "." ? (pkg.manifest.module ?? pkg.manifest.main) : undefined;
  const name = built?.match(/dist\/(.+)\.(?:m|c)?js$/)?.[1];
  const candidates = name ? [`src/${name}.ts`, `src/${name}.tsx`] : [];
  const found = candidates.find((file) => existsSync(join(pkg.dir, file)));
  if (!found)
    throw new Error(`${pkg.name} "${subpath}": no ${candidates.join(" or ") || "source"} for ${built ?? "its target"}`);
  return join(pkg.dir, found);
}

/**
 * The package's tsconfig narrowed to src/: the reference documents what ships, and type errors
 * in tests are `pnpm typecheck`'s to report.
 */
function sourceOnlyTsconfig(pkg) {
  const file = join(jsonDir, "tsconfig", `${pkg.dir.split("/").pop()}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify({ extends: join(pkg.dir, "tsconfig.json"), include: [join(pkg.dir, "src")], exclude: [] }, null, 2),
  );
  return file;
}

async function convert(app) {
  const logger = new CountingLogger();
  app.logger = logger;
  const project = await app.convert();
  if (project) app.validate(project);
  return { project, logger };
}

const only = process.argv.slice(2);
const packages = publishablePackages(only).filter((pkg) => codeSubpaths(pkg.manifest).length > 0);
rmSync(jsonDir, { recursive: true, force: true });
mkdirSync(jsonDir, { recursive: true });

const rows = [["package", "entry points", "result", "time"]];
const jsonFiles = [];
let failed = 0;
for (const pkg of packages) {
  const t0 = performance.now();
  let entryPoints;
  try {
    entryPoints = codeSubpaths(pkg.manifest).map((subpath) => subpathSource(pkg, subpath));
  } catch (error) {
    failed += 1;
    rows.push([pkg.name, "-", `FAIL: ${error.message}`, secondsSince(t0)]);
    continue;
  }
  const app = await Application.bootstrapWithPlugins({
    ...shared,
    name: pkg.name,
    entryPoints,
    tsconfig: sourceOnlyTsconfig(pkg),
    readme: existsSync(join(pkg.dir, "README.md")) ? join(pkg.dir, "README.md") : "none",
  });
  console.error(`--- ${pkg.name}`);
  const { project, logger } = await convert(app);
  const file = join(jsonDir, `${pkg.dir.split("/").pop()}.json`);
  if (project && logger.messages.length === 0) {
    await app.generateJson(project, file);
    jsonFiles.push(file);
    rows.push([pkg.name, entryPoints.map((e) => relative(pkg.dir, e)).join(", "), "ok", secondsSince(t0)]);
  } else {
    failed += 1;
    rows.push([
      pkg.name,
      entryPoints.map((e) => relative(pkg.dir, e)).join(", "),
      `FAIL: ${logger.messages.length} warning(s)/error(s)`,
      secondsSince(t0),
    ]);
  }
}

if (failed === 0 && jsonFiles.length > 0) {
  const t0 = performance.now();
  const app = await Application.bootstrapWithPlugins({
    ...shared,
    name: "VideoRetalk SDK",
    entryPointStrategy: "merge",
    entryPoints: jsonFiles,
    readme: join(repoRoot, "README.md"),
  });
  const { project, logger } = await convert(app);
  if (project && logger.messages.length === 0) {
    rmSync(outDir, { recursive: true, force: true });
    await app.generateDocs(project, outDir);
    rows.push(["(merged site)", relative(repoRoot, outDir), "ok", secondsSince(t0)]);
  } else {
    failed += 1;
    rows.push(["(merged site)", "-", `FAIL: ${logger.messages.length} warning(s)/error(s)`, secondsSince(t0)]);
  }
}

console.log("");
printTable(rows);
process.exit(failed ? 1 : 0);
