#!/usr/bin/env node
// `pnpm test:consumer`: installs the packed packages the way users get them and runs them.
// Workspace links hide missing files, wrong `exports` conditions, `workspace:` ranges and
// duplicate copies of core; a tarball installed by npm does not.
//
// 1. `pnpm pack` every publishable package (packages/*/package.json without `"private": true`).
// 2. One throwaway npm project in os.tmpdir() installs all tarballs together, with npm
//    `overrides` pinning every SDK package to its tarball, so peers and dependencies between our
//    packages resolve to the packed code, never to the registry. Third-party dependencies come
//    from the registry through npm's cache (`--prefer-offline`).
// 3. Four consumer projects inside it share that node_modules (Node resolves upward), each
//    with its own package.json and tsconfig:
//      esm         `import`, run with node
//      cjs         `require`, run with node
//      ts-node16   `moduleResolution: node16` (Node project: no DOM lib), a `.ts` (ESM) and a
//                  `.cts` (CommonJS) file per package, compiled with the workspace's tsc and run
//      ts-bundler  `moduleResolution: bundler` (+ DOM lib, like Next.js/Vite), type-checked with
//                  tsc, bundled with esbuild and run
//    Both TypeScript projects use `strict` and `skipLibCheck: false`, so the shipped .d.ts files
//    are compiled too.
// Each package gets the generic checks (every exported subpath loads and exports something) plus
// its smoke program from tools/consumer-smoke.mjs. Prints a table; exits 1 on any failure.
// Usage: node tools/consumer-test.mjs [package ...] [--keep]. Needs `pnpm build` first.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { smokePrograms } from "./consumer-smoke.mjs";
import {
  bin,
  codeSubpaths,
  missingBuildFiles,
  pool,
  printTable,
  publishablePackages,
  run,
  runAsync,
  secondsSince,
} from "./lib/workspace.mjs";

const args = process.argv.slice(2);
const keep = args.includes("--keep");
const packages = withWorkspaceDependencies(publishablePackages(args.filter((a) => !a.startsWith("--"))));
const started = performance.now();
const work = mkdtempSync(join(tmpdir(), "vr-consumer-"));
const consumer = join(work, "consumer");
const PROJECTS = ["esm", "cjs", "ts-node16", "ts-bundler"];
const RUN_TIMEOUT_MS = 30_000;

/** @type {Map<string, Record<string, string>>} package name → project → "ok" | failure */
const results = new Map(packages.map((pkg) => [pkg.name, {}]));
const details = [];
const timings = [];

/** A subset asked for on the command line also needs the SDK packages it depends on, packed. */
function withWorkspaceDependencies(picked) {
  const all = new Map(publishablePackages().map((pkg) => [pkg.name, pkg]));
  const names = new Set(picked.map((pkg) => pkg.name));
  for (const name of names) {
    const { dependencies = {}, peerDependencies = {} } = all.get(name).manifest;
    for (const dep of Object.keys({ ...dependencies, ...peerDependencies })) if (all.has(dep)) names.add(dep);
  }
  return [...all.values()].filter((pkg) => names.has(pkg.name));
}

function slug(name) {
  return name.replace(/^@/, "").replace(/[/@]/g, "-");
}

/** Records a failure; the first one per cell is kept, since later ones are usually its echo. */
function fail(pkgName, project, message) {
  const result = results.get(pkgName);
  if (result[project] === undefined || (result[project] === "ok" && message !== "ok")) result[project] = message;
}

function failAll(project, message) {
  for (const pkgName of results.keys()) fail(pkgName, project, message);
}

function note(pkgName, project, output) {
  details.push(`--- ${pkgName} (${project})\n${output.trim().split("\n").slice(0, 30).join("\n")}`);
}

function timed(label, fn) {
  const t0 = performance.now();
  const value = fn();
  timings.push(`${label} ${secondsSince(t0)}`);
  return value;
}

/**
 * ESM program for one package: generic subpath imports, then the smoke program. `skip` leaves
 * subpaths out (see `domSubpaths` in consumer-smoke.mjs).
 */
function esmProgram(pkg, skip = []) {
  const lines = [`// ${pkg.name}: generic checks`];
  codeSubpaths(pkg.manifest).forEach((subpath, i) => {
    if (skip.includes(subpath)) return;
    const specifier = subpath === "." ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    lines.push(`import * as subpath${i} from ${JSON.stringify(specifier)};`);
    lines.push(
      `if (Object.keys(subpath${i}).length === 0) throw new Error(${JSON.stringify(`${specifier} exports nothing`)});`,
    );
  });
  const smoke = smokePrograms[pkg.name]?.program;
  if (smoke) lines.push(`// ${pkg.name}: smoke program`, smoke.trim());
  lines.push(`console.log(${JSON.stringify(`${pkg.name} loaded`)});`, "export {};");
  return `${lines.join("\n")}\n`;
}

/** The same program with `import` lines turned into `require` calls (CommonJS). */
function toCommonJs(source) {
  return source
    .split("\n")
    .filter((line) => line !== "export {};")
    .map((line) => {
      if (!line.startsWith("import ")) return line;
      const namespace = line.match(/^import \* as (\w+) from ("[^"]+");$/);
      if (namespace) return `const ${namespace[1]} = require(${namespace[2]});`;
      const named = line.match(/^import \{([^}]+)\} from ("[^"]+");$/);
      if (named && !/\btype\b/.test(named[1]))
        return `const {${named[1].replace(/\bas\b/g, ":")}} = require(${named[2]});`;
      throw new Error(`consumer-smoke.mjs: cannot rewrite to require(): ${line}`);
    })
    .join("\n");
}

/** The TypeScript program; the no-DOM ts-node16 project leaves out subpaths whose types need the DOM. */
function typeScriptProgram(pkg, project) {
  const extra = smokePrograms[pkg.name]?.typeProgram;
  const skip = project === "ts-node16" ? (smokePrograms[pkg.name]?.domSubpaths ?? []) : [];
  return esmProgram(pkg, skip) + (extra ? `${extra.trim()}\n` : "");
}

function writeJson(file, value) {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

let exitCode = 0;
try {
  // 1. Pack.
  const tarballs = join(work, "tarballs");
  const deps = {};
  timed("pack", () => {
    for (const pkg of packages) {
      const missing = missingBuildFiles(pkg);
      if (missing.length) {
        const built = existsSync(join(pkg.dir, "dist"));
        for (const project of PROJECTS) fail(pkg.name, project, built ? "missing files" : "not built");
        note(
          pkg.name,
          "pack",
          built
            ? `package.json points at files the build did not write: ${missing.join(", ")}`
            : `no dist/: run \`pnpm build\` first (missing ${missing.join(", ")})`,
        );
        continue;
      }
      const dest = join(tarballs, slug(pkg.name));
      const packed = run("pnpm", ["pack", "--pack-destination", dest], { cwd: pkg.dir });
      const tarball = existsSync(dest) ? readdirSync(dest).find((f) => f.endsWith(".tgz")) : undefined;
      if (!packed.ok || !tarball) {
        for (const project of PROJECTS) fail(pkg.name, project, "pack FAIL");
        note(pkg.name, "pack", packed.output);
        continue;
      }
      deps[pkg.name] = `file:${relative(consumer, join(dest, tarball))}`;
    }
  });
  const installed = packages.filter((pkg) => deps[pkg.name]);

  // 2. Install all tarballs together; overrides keep every SDK package on its tarball.
  mkdirSync(consumer, { recursive: true });
  const extraDeps = Object.assign({}, ...installed.map((pkg) => smokePrograms[pkg.name]?.dependencies ?? {}));
  writeJson(join(consumer, "package.json"), {
    name: "videoretalk-consumer-test",
    private: true,
    dependencies: { ...deps, ...extraDeps, "@types/node": "20.19.43" },
    overrides: deps,
  });
  const install = timed("npm install", () =>
    run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: consumer }),
  );
  if (!install.ok) {
    for (const project of PROJECTS) failAll(project, "install FAIL");
    note("(all packages)", "npm install", install.output);
    throw new Error("npm install failed");
  }

  // One copy of each SDK package, or `instanceof` across packages breaks.
  const copies = run("npm", ["ls", "--all", "--parseable", ...installed.map((pkg) => pkg.name)], { cwd: consumer });
  for (const pkg of installed) {
    const paths = new Set(copies.output.split("\n").filter((line) => line.endsWith(`node_modules/${pkg.name}`)));
    if (paths.size > 1) {
      for (const project of PROJECTS) fail(pkg.name, project, "2+ copies");
      note(pkg.name, "install", `installed more than once:\n${[...paths].join("\n")}`);
    }
  }

  for (const pkg of installed) {
    for (const [binName, ...binArgs] of smokePrograms[pkg.name]?.bins ?? []) {
      const result = run(join(consumer, "node_modules/.bin", binName), binArgs, {
        cwd: consumer,
        timeout: RUN_TIMEOUT_MS,
      });
      if (!result.ok) {
        for (const project of PROJECTS) fail(pkg.name, project, "bin FAIL");
        note(pkg.name, `bin ${binName} ${binArgs.join(" ")}`, result.output);
      }
    }
  }

  // 3. Consumer projects.
  const dirs = Object.fromEntries(PROJECTS.map((p) => [p, join(consumer, p)]));
  for (const dir of Object.values(dirs)) mkdirSync(dir);
  writeJson(join(dirs.esm, "package.json"), { type: "module" });
  writeJson(join(dirs.cjs, "package.json"), { type: "commonjs" });
  writeJson(join(dirs["ts-node16"], "package.json"), { type: "module" });
  writeJson(join(dirs["ts-bundler"], "package.json"), { type: "module" });
  const strictTs = { strict: true, skipLibCheck: false, target: "ES2022", types: ["node"], noEmitOnError: false };
  writeJson(join(dirs["ts-node16"], "tsconfig.json"), {
    compilerOptions: { ...strictTs, module: "node16", moduleResolution: "node16", lib: ["ES2022"], outDir: "out" },
    include: ["*.ts", "*.cts"],
  });
  writeJson(join(dirs["ts-bundler"], "tsconfig.json"), {
    compilerOptions: {
      ...strictTs,
      module: "ESNext",
      moduleResolution: "bundler",
      lib: ["ES2022", "DOM", "DOM.Iterable"],
      noEmit: true,
    },
    include: ["*.ts"],
  });
  for (const pkg of installed) {
    const name = slug(pkg.name);
    const source = esmProgram(pkg);
    writeFileSync(join(dirs.esm, `${name}.mjs`), source);
    writeFileSync(join(dirs.cjs, `${name}.cjs`), toCommonJs(source));
    writeFileSync(join(dirs["ts-node16"], `${name}.ts`), typeScriptProgram(pkg, "ts-node16"));
    writeFileSync(
      join(dirs["ts-node16"], `${name}.cts`),
      typeScriptProgram(pkg, "ts-node16").replace(/\nexport \{\};\n/, "\n"),
    );
    writeFileSync(join(dirs["ts-bundler"], `${name}.ts`), typeScriptProgram(pkg));
  }

  // One tsc per TypeScript project over every package first (the fast path when all is well);
  // if one fails, each package is compiled on its own (one tsconfig per package) so the error
  // is pinned to the package that causes it. Two jobs at a time, one per core.
  const t0 = performance.now();
  const combined = Object.fromEntries(
    await Promise.all(
      ["ts-node16", "ts-bundler"].map(async (project) => {
        const result = await runAsync(bin("tsc"), ["-p", "tsconfig.json", "--pretty", "false"], { cwd: dirs[project] });
        return [project, result.ok];
      }),
    ),
  );
  const tscStep = (project, name) =>
    combined[project] ? [] : [[bin("tsc"), ["-p", `tsconfig.${name}.json`, "--pretty", "false"]]];
  const jobs = [];
  for (const pkg of installed) {
    const name = slug(pkg.name);
    jobs.push({ pkg, project: "esm", steps: [[process.execPath, [`${name}.mjs`]]] });
    jobs.push({ pkg, project: "cjs", steps: [[process.execPath, [`${name}.cjs`]]] });
    writeJson(join(dirs["ts-node16"], `tsconfig.${name}.json`), {
      extends: "./tsconfig.json",
      include: [],
      files: [`${name}.ts`, `${name}.cts`],
    });
    jobs.push({
      pkg,
      project: "ts-node16",
      steps: [
        ...tscStep("ts-node16", name),
        [process.execPath, [`out/${name}.js`]],
        [process.execPath, [`out/${name}.cjs`]],
      ],
    });
    writeJson(join(dirs["ts-bundler"], `tsconfig.${name}.json`), {
      extends: "./tsconfig.json",
      include: [],
      files: [`${name}.ts`],
    });
    jobs.push({
      pkg,
      project: "ts-bundler",
      steps: [
        ...tscStep("ts-bundler", name),
        [
          bin("esbuild"),
          [
            `${name}.ts`,
            "--bundle",
            "--platform=node",
            "--format=esm",
            // CommonJS dependencies bundled into ESM (bullmq's ioredis) call require() for Node
            // built-ins; this is the banner esbuild documents for Node ESM bundles.
            "--banner:js=import { createRequire as __vrCreateRequire } from 'node:module'; const require = __vrCreateRequire(import.meta.url);",
            `--outfile=out/${name}.mjs`,
            "--log-level=error",
          ],
        ],
        [process.execPath, [`out/${name}.mjs`]],
      ],
    });
  }
  await pool(jobs, 2, async ({ pkg, project, steps }) => {
    for (const [command, commandArgs] of steps) {
      const step =
        command === process.execPath
          ? `node ${commandArgs.join(" ")}`
          : `${command.split("/").pop()} ${commandArgs.join(" ")}`;
      const result = await runAsync(command, commandArgs, { cwd: dirs[project], timeout: RUN_TIMEOUT_MS });
      if (!result.ok) {
        const what =
          command === process.execPath
            ? result.status === null
              ? "timeout"
              : `exit ${result.status}`
            : `${step.split(" ")[0]} FAIL`;
        fail(pkg.name, project, what);
        note(pkg.name, `${project}: ${step}`, result.output);
        // Still run the compiled program after a type error (tsc emits anyway): it may fail too.
        if (!step.startsWith("tsc")) return;
      }
    }
    fail(pkg.name, project, "ok");
  });
  timings.push(`compile+run ${secondsSince(t0)}`);
} catch (error) {
  if (error?.message !== "npm install failed") throw error;
} finally {
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

const rows = [["package", "smoke program", ...PROJECTS]];
let failed = 0;
for (const pkg of packages) {
  const result = results.get(pkg.name);
  const cells = PROJECTS.map((project) => result[project] ?? "not run");
  if (cells.some((cell) => cell !== "ok")) failed += 1;
  rows.push([pkg.name, smokePrograms[pkg.name] ? "yes" : "generic", ...cells]);
}
for (const detail of details) console.log(`${detail}\n`);
printTable(rows);
console.log(`\n${timings.join(", ")}; total ${secondsSince(started)}`);
console.log(`${packages.length - failed} package(s) passed, ${failed} failed`);
exitCode = failed ? 1 : 0;
process.exit(exitCode);
