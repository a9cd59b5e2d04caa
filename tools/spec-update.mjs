#!/usr/bin/env node
// `pnpm spec:update <file | folder | https URL | ->`: replaces spec/videoretalk.openapi.yaml with a
// new version of Evolink's contract and shows what that does to the SDK.
//
//   1. reads the new spec (a folder means its videoretalk.openapi.yaml / openapi.yaml; `-` is
//      stdin) and refuses anything that is not an OpenAPI 3.x document with `paths`;
//   2. prints what changed in the contract, from the parsed old and new YAML
//      (tools/spec-diff.mjs): operations, fields, parameters, enum values, required-ness,
//      types and constraints, breaking changes first;
//   3. writes the file and runs `pnpm generate` (packages/core/src/generated/schema.ts);
//   4. runs `pnpm lint:spec`, `pnpm typecheck` (every package, so a breaking change shows up as
//      compile errors where SDK code uses it; those use sites are listed at the end) and core's
//      contract tests against Prism (`vitest run --project contract`).
// Exits 1 when a step fails. Options: `--dry-run` (summary only, nothing written),
// `--skip=lint,typecheck,contract` (skip those checks).
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse } from "yaml";
import { diffSpecs, formatChanges } from "./spec-diff.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const specPath = join(root, "spec/videoretalk.openapi.yaml");

const STEPS = {
  lint: ["pnpm", ["run", "lint:spec"]],
  typecheck: ["pnpm", ["run", "typecheck"]],
  // `--reporter=default` keeps core's JSON report (.reports/vitest.json, read by CI) untouched.
  contract: [
    "pnpm",
    ["--filter", "@videoretalk/core", "exec", "vitest", "run", "--project", "contract", "--reporter=default"],
  ],
};

function usage(message) {
  console.error(
    `${message}\nusage: pnpm spec:update <file | folder | https URL | -> [--dry-run] [--skip=lint,typecheck,contract]`,
  );
  process.exit(2);
}

async function readSource(source) {
  if (source === "-") {
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    return { text: Buffer.concat(chunks).toString("utf8"), label: "stdin" };
  }
  if (/^https?:\/\//.test(source)) {
    const response = await fetch(source);
    if (!response.ok) throw new Error(`GET ${source} answered ${response.status}`);
    return { text: await response.text(), label: source };
  }
  // pnpm runs root scripts from the repo root; INIT_CWD is where the user typed the command.
  let file = resolve(process.env.INIT_CWD ?? process.cwd(), source);
  if (existsSync(file) && statSync(file).isDirectory()) {
    const candidate = ["videoretalk.openapi.yaml", "openapi.yaml", "openapi.yml", "openapi.json"]
      .map((name) => join(file, name))
      .find((path) => existsSync(path));
    if (!candidate) throw new Error(`${source} is a folder without videoretalk.openapi.yaml or openapi.yaml`);
    file = candidate;
  }
  if (!existsSync(file)) throw new Error(`${source}: no such file`);
  return { text: readFileSync(file, "utf8"), label: relative(root, file) || file };
}

function checkOpenApi(doc, label) {
  if (!doc || typeof doc !== "object" || typeof doc.openapi !== "string" || !doc.openapi.startsWith("3.")) {
    throw new Error(`${label} is not an OpenAPI 3.x document (no \`openapi: 3.x\` at the top)`);
  }
  if (!doc.paths || typeof doc.paths !== "object") throw new Error(`${label} has no \`paths\``);
}

/** Runs a command with inherited output, also capturing it (to find compile errors). */
function step(name, command, args) {
  console.log(`\n=== ${name}: ${command} ${args.join(" ")}`);
  const t0 = performance.now();
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, FORCE_COLOR: "0" },
    });
    let output = "";
    for (const stream of [child.stdout, child.stderr]) {
      stream.on("data", (chunk) => {
        output += chunk;
        (stream === child.stdout ? process.stdout : process.stderr).write(chunk);
      });
    }
    child.on("error", (error) => {
      output += String(error);
      console.error(String(error));
    });
    child.on("close", (status) => {
      const seconds = ((performance.now() - t0) / 1000).toFixed(1);
      console.log(`=== ${name}: ${status === 0 ? "ok" : "FAILED"} (${seconds} s)`);
      resolvePromise({ name, ok: status === 0, output });
    });
  });
}

/**
 * Turns tsc errors into `path:line:col  message` lines with repo-relative paths. Understands
 * plain tsc output and turbo's `<package>:typecheck: src/x.ts(1,2): error …` prefix.
 */
export function compileErrorSites(output, packageDirs = packageDirectories()) {
  const sites = [];
  for (const line of output.split("\n")) {
    const match = line.match(/^(?:(\S+?):typecheck: )?(\S+?\.(?:ts|tsx|mts|cts))\((\d+),(\d+)\): error (TS\d+): (.*)$/);
    if (!match) continue;
    const [, pkgName, file, lineNo, col, code, message] = match;
    const base = pkgName && packageDirs.get(pkgName) ? packageDirs.get(pkgName) : "";
    sites.push(`${join(base, file)}:${lineNo}:${col}  ${code} ${message.trim()}`);
  }
  return [...new Set(sites)];
}

function packageDirectories() {
  const dirs = new Map();
  const base = join(root, "packages");
  if (!existsSync(base)) return dirs;
  for (const folder of readdirSync(base)) {
    const manifest = join(base, folder, "package.json");
    if (existsSync(manifest)) dirs.set(JSON.parse(readFileSync(manifest, "utf8")).name, `packages/${folder}`);
  }
  return dirs;
}

async function main() {
  const args = process.argv.slice(2);
  const dryRun = args.includes("--dry-run");
  const skip = new Set(
    args
      .filter((a) => a.startsWith("--skip="))
      .flatMap((a) => a.slice("--skip=".length).split(","))
      .filter(Boolean),
  );
  for (const name of skip) if (!(name in STEPS)) usage(`unknown step to skip: ${name}`);
  const sources = args.filter((a) => a === "-" || !a.startsWith("--"));
  if (sources.length !== 1) usage("give exactly one spec file, folder or URL");

  const { text, label } = await readSource(sources[0]);
  let next;
  try {
    next = parse(text);
  } catch (error) {
    throw new Error(`${label} is not valid YAML: ${error.message}`);
  }
  checkOpenApi(next, label);
  const currentText = readFileSync(specPath, "utf8");
  const current = parse(currentText);

  console.log(
    `Contract changes: spec/videoretalk.openapi.yaml (${current.info?.version ?? "?"}) → ${label} (${next.info?.version ?? "?"})\n`,
  );
  const changes = diffSpecs(current, next);
  console.log(formatChanges(changes));
  if (dryRun) return 0;
  if (text === currentText) {
    console.log("\nThe file is identical to the current spec; nothing to do.");
    return 0;
  }

  writeFileSync(specPath, text);
  console.log(`\nwrote ${relative(root, specPath)}`);
  const results = [await step("generate", "pnpm", ["run", "generate"])];
  if (results[0].ok) {
    for (const [name, [command, commandArgs]] of Object.entries(STEPS)) {
      if (skip.has(name)) continue;
      results.push(await step(name, command, commandArgs));
    }
  }

  console.log("\n=== spec:update summary");
  for (const result of results) console.log(`${result.ok ? "ok    " : "FAILED"} ${result.name}`);
  for (const name of skip) console.log(`skipped ${name}`);
  const typecheck = results.find((r) => r.name === "typecheck");
  if (typecheck && !typecheck.ok) {
    const sites = compileErrorSites(typecheck.output);
    if (sites.length) {
      console.log("\nSDK code that no longer compiles against the new contract:");
      for (const site of sites) console.log(`  ${site}`);
    }
  }
  const breaking = changes.filter((c) => c.breaking).length;
  if (breaking) {
    console.log(
      `\n${breaking} breaking contract change(s): adapt the SDK (models.ts, validate.ts, the emulator), and add a changeset (\`pnpm changeset\`) that says what changes for users.`,
    );
  } else if (changes.length) {
    console.log("\nNo breaking contract changes. Expose what is new in core if users need it, and add a changeset.");
  }
  return results.every((r) => r.ok) ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(`spec:update: ${error.message}`);
      process.exit(1);
    },
  );
}
