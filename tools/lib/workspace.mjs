// Finds the workspace's packages by reading packages/*/package.json, so every gate covers a
// package the day it lands. Publishable = not `"private": true`.
// tools/ (the private @videoretalk/tools, these scripts) and examples/ are deliberately not
// listed: no gate here (publish, size, consumer, docs, snippets) applies to them.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * @typedef {object} WorkspacePackage
 * @property {string} name      package name, e.g. `@videoretalk/core`
 * @property {string} dir       absolute path
 * @property {string} relDir    path from the repo root, e.g. `packages/core`
 * @property {any} manifest     parsed package.json
 * @property {boolean} publishable
 */

/** @returns {WorkspacePackage[]} every packages/* folder with a package.json, sorted by folder. */
export function listPackages() {
  const base = join(repoRoot, "packages");
  if (!existsSync(base)) return [];
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(base, entry.name, "package.json")))
    .map((entry) => entry.name)
    .sort()
    .map((folder) => {
      const dir = join(base, folder);
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      return {
        name: manifest.name ?? folder,
        dir,
        relDir: relative(repoRoot, dir),
        manifest,
        publishable: manifest.private !== true,
      };
    });
}

/**
 * Where test suites write their JSON reports (`<folder>/.reports/*.json`, vitest's json reporter
 * and the e2e/runtime-matrix equivalents): every packages/* and examples/* folder, and tools/.
 * ci-summary.mjs and test-stress.mjs read them; .ci/run clears the same folders.
 * @returns {{ name: string, dir: string }[]} `name` is the folder from the repo root.
 */
export function testReportDirs() {
  const dirs = [];
  for (const group of ["packages", "examples"]) {
    const groupDir = join(repoRoot, group);
    if (!existsSync(groupDir)) continue;
    for (const folder of readdirSync(groupDir).sort()) {
      dirs.push({ name: `${group}/${folder}`, dir: join(groupDir, folder, ".reports") });
    }
  }
  dirs.push({ name: "tools", dir: join(repoRoot, "tools", ".reports") });
  return dirs;
}

/** Publishable packages, optionally narrowed to the names or folders given on the command line. */
export function publishablePackages(only = []) {
  const all = listPackages().filter((pkg) => pkg.publishable);
  if (only.length === 0) return all;
  const picked = all.filter((pkg) =>
    only.some((o) => o === pkg.name || o === pkg.relDir || o === pkg.dir.split("/").pop()),
  );
  const unknown = only.filter(
    (o) => !picked.some((pkg) => o === pkg.name || o === pkg.relDir || pkg.dir.endsWith(`/${o}`)),
  );
  if (unknown.length) throw new Error(`not a publishable workspace package: ${unknown.join(", ")}`);
  return picked;
}

/** Every file an `exports` map (or `main`/`module`/`types`/`bin`) points at, relative to the package. */
export function declaredFiles(manifest) {
  const files = new Set();
  const walk = (value) => {
    if (typeof value === "string") files.add(value);
    else if (value && typeof value === "object") for (const v of Object.values(value)) walk(v);
  };
  walk(manifest.exports);
  for (const field of ["main", "module", "types", "typings"]) walk(manifest[field]);
  walk(typeof manifest.bin === "string" ? { [manifest.name]: manifest.bin } : manifest.bin);
  return [...files].filter((f) => !f.endsWith("package.json")).map((f) => f.replace(/^\.\//, ""));
}

/** The subpaths (".", "./node") whose targets are code, not `./package.json`. */
export function codeSubpaths(manifest) {
  const exportsField = manifest.exports;
  if (!exportsField) return manifest.main || manifest.module ? ["."] : [];
  if (typeof exportsField === "string" || !Object.keys(exportsField).some((k) => k.startsWith("."))) return ["."];
  // Data files (`./media-limits.json`) are exported for reading, not as modules with an API.
  return Object.keys(exportsField).filter((k) => k !== "./package.json" && !k.endsWith(".json"));
}

/** Whether the package's exports use a `node` condition anywhere. */
export function hasNodeCondition(manifest) {
  return JSON.stringify(manifest.exports ?? {}).includes('"node":');
}

/** Missing built files of a package (empty when it is built). */
export function missingBuildFiles(pkg) {
  return declaredFiles(pkg.manifest).filter((file) => !existsSync(join(pkg.dir, file)));
}

/** Prints rows as a fixed-width table (first row = header). */
export function printTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i] ?? "").length)));
  const line = (row) =>
    row
      .map((cell, i) => String(cell ?? "").padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  console.log(line(rows[0]));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows.slice(1)) console.log(line(row));
}

/** Runs a command, returning `{ ok, status, output }` with stdout and stderr together; never throws. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: repoRoot,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? String(result.error) : ""}`;
  return { ok: result.status === 0, status: result.status, output };
}

/** Path of a binary installed in the root node_modules/.bin. */
export function bin(name) {
  return join(repoRoot, "node_modules/.bin", name);
}

/** Seconds since `t0` (from performance.now()), one decimal. */
export function secondsSince(t0) {
  return `${((performance.now() - t0) / 1000).toFixed(1)} s`;
}

/** Like {@link run}, but asynchronous, so independent commands can share the two cores. */
export function runAsync(command, args, options = {}) {
  const { timeout, ...spawnOptions } = options;
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"], ...spawnOptions });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const timer = timeout ? setTimeout(() => child.kill("SIGKILL"), timeout) : undefined;
    child.on("error", (error) => {
      output += String(error);
    });
    child.on("close", (status) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ ok: status === 0, status, output });
    });
  });
}

/** Runs async jobs with at most `limit` at a time; resolves to their results in order. */
export async function pool(items, limit, job) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await job(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
