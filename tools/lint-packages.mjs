#!/usr/bin/env node
// `pnpm lint:pkg`: the package gates, over every publishable package (packages/*/package.json
// without `"private": true`), run on the tarball `pnpm pack` makes, i.e. what `pnpm publish`
// would upload (workspace: ranges rewritten, `files` applied):
//   manifest  exports map without "./*" wildcards, `sideEffects: false`, `files`, `engines.node`,
//             SDK packages as peers (one copy of core, so `instanceof` on its errors works)
//   publint   `publint run <tarball> --strict` (warnings fail too; suggestions are printed)
//   attw      `attw <tarball>`, the same check as `attw --pack .` but on pnpm's tarball instead
//             of npm's; profile `strict` for a package with one entry point and top-level
//             `types`, else `node16` (see attwProfile). A `node` export condition needs nothing
//             special: node16 resolves it, bundler resolution does not, and both are checked. A
//             package with only a `bin` and no importable entry point has no types to check:
//             attw is reported as n/a. A package can tune attw with an `.attw.json` in its
//             folder (attw reads it from the working directory).
// Usage: node tools/lint-packages.mjs [package name or folder ...]. Needs a build first (the
// root script runs `turbo run build`). Exits 1 when any package fails.
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  bin,
  codeSubpaths,
  missingBuildFiles,
  printTable,
  publishablePackages,
  run,
  secondsSince,
} from "./lib/workspace.mjs";

function manifestProblems(pkg) {
  const m = pkg.manifest;
  const problems = [];
  const exportKeys = m.exports && typeof m.exports === "object" ? Object.keys(m.exports) : [];
  if (exportKeys.some((key) => key.includes("*"))) problems.push('exports has a "*" wildcard subpath');
  if (!m.exports) problems.push("no exports map");
  if (m.sideEffects !== false) problems.push("sideEffects is not false");
  if (!Array.isArray(m.files) || m.files.length === 0) problems.push("no files list");
  if (!m.engines?.node) problems.push("no engines.node");
  const importable = codeSubpaths(m).length > 0;
  if (importable) {
    // Libraries peer-depend on the SDK packages they build on; an app or CLI may bundle its own copy.
    const sdkDeps = Object.keys(m.dependencies ?? {}).filter((dep) => dep.startsWith("@videoretalk/"));
    if (sdkDeps.length) problems.push(`${sdkDeps.join(", ")} should be a peerDependency`);
  }
  return problems;
}

/**
 * `strict` checks node10 (TypeScript's legacy `moduleResolution: node`) too, which ignores
 * `exports`: it can only reach a package's root, through top-level `types`/`main`. So: `strict`
 * for a package whose only entry point is "." and that declares top-level `types`; `node16`
 * (node10 reported, not failed) for a package with subpath exports (`./queries`, `./node`),
 * which node10 could only reach through stub folders we do not ship.
 */
function attwProfile(manifest) {
  // Data subpaths (`./media-limits.json`) count too: node10 cannot reach them either.
  const exportsField = manifest.exports;
  const dataSubpaths =
    exportsField && typeof exportsField === "object"
      ? Object.keys(exportsField).filter((k) => k.endsWith(".json") && k !== "./package.json")
      : [];
  const subpaths = [...codeSubpaths(manifest), ...dataSubpaths];
  const rootOnly = subpaths.length === 1 && subpaths[0] === ".";
  return rootOnly && (manifest.types || manifest.typings) ? "strict" : "node16";
}

function firstLines(text, count = 40) {
  return text.trim().split("\n").slice(0, count).join("\n");
}

const packages = publishablePackages(process.argv.slice(2));
const work = mkdtempSync(join(tmpdir(), "vr-lint-pkg-"));
const rows = [["package", "manifest", "publint", "attw", "profile", "time"]];
const details = [];
let failed = 0;

try {
  for (const pkg of packages) {
    const t0 = performance.now();
    const row = { manifest: "ok", publint: "-", attw: "-", profile: "-" };
    const fail = (column, text, detail) => {
      row[column] = text;
      if (detail) details.push(`--- ${pkg.name}: ${column}\n${firstLines(detail)}`);
    };

    const problems = manifestProblems(pkg);
    if (problems.length) fail("manifest", "FAIL", problems.join("\n"));

    const missing = missingBuildFiles(pkg);
    if (missing.length) {
      const built = existsSync(join(pkg.dir, "dist"));
      fail(
        "publint",
        built ? "missing files" : "not built",
        built
          ? `package.json points at files the build did not write: ${missing.join(", ")}`
          : `no dist/: run \`pnpm build\` first (missing ${missing.join(", ")})`,
      );
    } else {
      const dest = join(work, pkg.dir.split("/").pop());
      const packed = run("pnpm", ["pack", "--pack-destination", dest], { cwd: pkg.dir });
      const tarball = existsSync(dest) ? readdirSync(dest).find((f) => f.endsWith(".tgz")) : undefined;
      if (!packed.ok || !tarball) {
        fail("publint", "pack failed", packed.output);
      } else {
        const tgz = join(dest, tarball);
        const publint = run(bin("publint"), ["run", tgz, "--strict"], { cwd: pkg.dir });
        if (publint.ok) row.publint = /Suggestions:/.test(publint.output) ? "ok (suggestions)" : "ok";
        else fail("publint", "FAIL", publint.output);
        if (/Suggestions:/.test(publint.output) && publint.ok)
          details.push(`--- ${pkg.name}: publint suggestions\n${firstLines(publint.output)}`);

        if (codeSubpaths(pkg.manifest).length === 0) {
          row.attw = "n/a (bin only)";
        } else {
          row.profile = attwProfile(pkg.manifest);
          const attw = run(bin("attw"), [tgz, "--profile", row.profile, "--no-color", "--format", "table-flipped"], {
            cwd: pkg.dir,
          });
          if (attw.ok) row.attw = "ok";
          else fail("attw", "FAIL", attw.output);
        }
      }
    }
    const ok =
      row.manifest === "ok" && row.publint.startsWith("ok") && (row.attw === "ok" || row.attw.startsWith("n/a"));
    if (!ok) failed += 1;
    rows.push([pkg.name, row.manifest, row.publint, row.attw, row.profile, secondsSince(t0)]);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

for (const detail of details) console.log(`${detail}\n`);
printTable(rows);
console.log(`\n${packages.length - failed} package(s) passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
