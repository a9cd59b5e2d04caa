#!/usr/bin/env node
// `pnpm check:changeset`: fails when a publishable package's shipped source changed since the
// last release without a pending changeset that names it. Private packages are exempt.
//
//   since     the nearest release tag reachable from HEAD (changesets tags `<name>@<version>`),
//             else the repository's first commit; `--since=<ref>` overrides.
//   changed   a file under packages/<pkg>/src/ differs from `since` (committed, staged, unstaged
//             or untracked), or package.json differs in a field that ships: anything except
//             `devDependencies` and `scripts`. Tests, READMEs and configs need no changeset.
//   named     `changeset status --since=<ref> --output=<file>` is run first: it validates every
//             .changeset/*.md (bad front matter or an unknown package fails here) and fails when
//             packages changed but there is no changeset at all. Its release plan then says
//             which packages each pending changeset names. `changeset status` alone is not
//             enough: any one changeset satisfies it, whatever package it names.
// .changeset/config.json sets `changedFilePatterns` to the same src/** + package.json rule, so
// `changeset status` and this script agree on what "changed" means.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bin, listPackages, printTable, repoRoot, run } from "./lib/workspace.mjs";

const git = (...args) => run("git", args);

function releaseBase() {
  const explicit = process.argv.find((arg) => arg.startsWith("--since="));
  if (explicit) return { ref: explicit.slice("--since=".length), why: "--since" };
  const tag = git("describe", "--tags", "--abbrev=0", "--match", "*@[0-9]*");
  if (tag.ok) return { ref: tag.output.trim(), why: "last release tag" };
  const roots = git("rev-list", "--max-parents=0", "HEAD");
  if (!roots.ok) throw new Error(`git rev-list failed:\n${roots.output}`);
  return { ref: roots.output.trim().split("\n").pop(), why: "no release tag yet: the first commit" };
}

function changedFiles(ref) {
  const tracked = git("diff", "--name-only", ref, "--");
  const untracked = git("ls-files", "--others", "--exclude-standard");
  if (!tracked.ok) throw new Error(`git diff against ${ref} failed:\n${tracked.output}`);
  return new Set([...tracked.output.split("\n"), ...untracked.output.split("\n")].filter(Boolean));
}

/** package.json without the fields that do not ship to users. */
function shippedManifest(text) {
  const { devDependencies, scripts, ...rest } = JSON.parse(text);
  return JSON.stringify(rest);
}

function changeReasons(pkg, ref, files) {
  const reasons = [];
  const srcPrefix = `${pkg.relDir}/src/`;
  const srcChanged = [...files].filter((f) => f.startsWith(srcPrefix));
  if (srcChanged.length) reasons.push(`${srcChanged.length} file(s) in src/`);
  const manifestPath = `${pkg.relDir}/package.json`;
  if (files.has(manifestPath)) {
    const before = git("show", `${ref}:${manifestPath}`);
    const now = readFileSync(join(repoRoot, manifestPath), "utf8");
    if (!before.ok) reasons.push("new package");
    else if (shippedManifest(before.output) !== shippedManifest(now)) reasons.push("package.json");
  }
  return reasons;
}

const { ref, why } = releaseBase();
console.log(`changes since ${ref} (${why})`);

const untracked = git("ls-files", "--others", "--exclude-standard", "--", ".changeset/*.md")
  .output.split("\n")
  .filter(Boolean);
if (untracked.length) {
  console.log(`note: changesets finds its files through git; \`git add\` these first: ${untracked.join(", ")}`);
}

const work = mkdtempSync(join(tmpdir(), "vr-changeset-"));
let plan;
try {
  const planFile = join(work, "plan.json");
  const status = run(bin("changeset"), ["status", `--since=${ref}`, `--output=${planFile}`]);
  if (!status.ok) {
    console.error(status.output.trim());
    console.error(
      "\n`changeset status` failed: fix the changeset files above, or run `pnpm changeset`. " +
        "A new .changeset/*.md must be committed (or at least `git add`ed): changesets finds them through git.",
    );
    process.exit(1);
  }
  plan = JSON.parse(readFileSync(planFile, "utf8"));
} finally {
  rmSync(work, { recursive: true, force: true });
}

const named = new Map();
for (const changeset of plan.changesets) {
  for (const release of changeset.releases) {
    named.set(release.name, [...(named.get(release.name) ?? []), `${changeset.id}.md (${release.type})`]);
  }
}

const files = changedFiles(ref);
const rows = [["package", "changed", "changesets", "result"]];
const missing = [];
for (const pkg of listPackages().filter((p) => p.publishable)) {
  const reasons = changeReasons(pkg, ref, files);
  const changesets = named.get(pkg.name) ?? [];
  const ok = reasons.length === 0 || changesets.length > 0;
  if (!ok) missing.push(pkg.name);
  rows.push([pkg.name, reasons.join(", ") || "-", changesets.join(", ") || "-", ok ? "ok" : "MISSING CHANGESET"]);
}
printTable(rows);

if (missing.length) {
  console.error(
    `\n${missing.join(", ")} changed since ${ref} without a changeset naming it. Run \`pnpm changeset\`, ` +
      "pick the package(s), describe the change for users, and commit the .changeset/*.md file.",
  );
  process.exit(1);
}
console.log("\nevery changed package has a changeset");
