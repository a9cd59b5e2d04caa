#!/usr/bin/env node
// `pnpm check:snippets`: type-checks every ```ts / ```typescript / ```tsx block of README.md and
// packages/*/README.md against the built packages, so the READMEs cannot drift from the API.
//
// The project lives in .tmp/snippets/ (git-ignored). Its node_modules/@videoretalk/<name> links
// to packages/<name>, so imports resolve through each package's `exports` to its built .d.ts,
// as in an app; peers a package's types need (react, …) are linked from that package's
// node_modules. Compiler options: strict, ES2022 + DOM libs, Node types, bundler resolution.
//
// Snippets are fragments of one story, read top to bottom, so by convention:
//   - each snippet is its own module, preceded by the imports of the other snippets of the same
//     README (those it does not import or declare itself): a follow-up snippet may use
//     `InsufficientCreditsError` imported by the first one. A misspelt or renamed export still
//     fails, at the snippet that imports it;
//   - names that snippets use without declaring them (`client`, `task`, `video_url`, the app's
//     `getUser`, `db`, …) are declared once, typed with the SDK's own types where they are SDK
//     values, in tools/snippets-prelude.d.ts; add a name there when a README needs a new one;
//   - a third-party module that is not installed here (`hono`, `express`) is declared as an
//     untyped module, and `noImplicitAny` is off for callbacks handed to it: the check is about
//     our API, not theirs;
//   - a block whose info string says `no-check` (```ts no-check) is skipped.
// Errors are reported at README line numbers. Exits 1 when a snippet does not compile.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { bin, listPackages, printTable, repoRoot, run } from "./lib/workspace.mjs";

const project = join(repoRoot, ".tmp/snippets");
const LANGS = new Set(["ts", "typescript", "tsx"]);

/** @returns {{ file: string, line: number, lang: string, code: string }[]} line = README line of the code's first line */
function extractSnippets(file) {
  const lines = readFileSync(file, "utf8").split("\n");
  const snippets = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = lines[i].match(/^(\s*)(`{3,}|~{3,})\s*([\w-]+)?(.*)$/);
    if (!open) continue;
    const [, indent, fence, lang = "", info] = open;
    let end = i + 1;
    while (end < lines.length && !lines[end].trimStart().startsWith(fence)) end += 1;
    if (LANGS.has(lang.toLowerCase()) && !/\bno-check\b/.test(info)) {
      const code = lines
        .slice(i + 1, end)
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
        .join("\n");
      snippets.push({ file, line: i + 2, lang: lang.toLowerCase(), code });
    }
    i = end;
  }
  return snippets;
}

const IMPORT_RE = /^import\s+(type\s+)?([\s\S]*?)\s+from\s+(["'])([^"']+)\3;?[ \t]*$/gm;

function importsOf(code) {
  return [...code.matchAll(IMPORT_RE)].map((m) => ({ typeOnly: Boolean(m[1]), clause: m[2].trim(), source: m[4] }));
}

/** Local names an import clause binds: `X`, `{ a, b as c }`, `* as ns`, `X, { a }`. */
function boundNames(clause) {
  const names = [];
  const braces = clause.match(/\{([\s\S]*)\}/);
  if (braces) {
    for (const part of braces[1].split(",")) {
      const name = part
        .trim()
        .replace(/^type\s+/, "")
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (name) names.push(name);
    }
  }
  const rest = clause
    .replace(/\{[\s\S]*\}/, "")
    .replace(/,/g, " ")
    .trim();
  const ns = rest.match(/\*\s+as\s+(\w+)/);
  if (ns) names.push(ns[1]);
  else if (rest) names.push(...rest.split(/\s+/).filter((word) => /^\w+$/.test(word)));
  return names;
}

/** Names a snippet declares itself (approximate: const/let/var/function/class and destructuring). */
function declaredNames(code) {
  const names = new Set();
  for (const m of code.matchAll(/\b(?:const|let|var|function|class)\s+(\w+)/g)) names.add(m[1]);
  for (const m of code.matchAll(/\b(?:const|let|var)\s+\{([^}]*)\}/g)) {
    for (const part of m[1].split(",")) {
      const name = part.split(":").pop()?.split("=")[0]?.trim();
      if (name) names.add(name);
    }
  }
  for (const imp of importsOf(code)) for (const name of boundNames(imp.clause)) names.add(name);
  return names;
}

/** The other snippets' imports (earlier ones first), minus names this snippet binds itself. */
function carriedImports(earlier, code) {
  const own = declaredNames(code);
  const lines = [];
  const seen = new Set();
  for (const snippet of earlier) {
    for (const imp of importsOf(snippet.code)) {
      const names = boundNames(imp.clause).filter((name) => !own.has(name) && !seen.has(name));
      if (names.length === 0) continue;
      for (const name of names) seen.add(name);
      const isDefault = !imp.clause.includes("{") && !imp.clause.includes("*");
      const isNamespace = imp.clause.includes("*");
      const clause = isDefault || isNamespace ? imp.clause : `{ ${names.join(", ")} }`;
      lines.push(`import ${imp.typeOnly ? "type " : ""}${clause} from ${JSON.stringify(imp.source)};`);
    }
  }
  return lines;
}

function packageNameOf(specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

function link(target, path) {
  if (!existsSync(target) || existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path, "dir");
}

const packages = listPackages().filter((pkg) => pkg.publishable);
const readmes = [join(repoRoot, "README.md"), ...packages.map((pkg) => join(pkg.dir, "README.md"))].filter(existsSync);

rmSync(project, { recursive: true, force: true });
mkdirSync(join(project, "snippets"), { recursive: true });
const modules = join(project, "node_modules");
for (const pkg of packages) {
  link(pkg.dir, join(modules, pkg.name));
  for (const peer of Object.keys(pkg.manifest.peerDependencies ?? {})) {
    link(join(pkg.dir, "node_modules", peer), join(modules, peer));
    link(
      join(pkg.dir, "node_modules/@types", peer.replace(/^@/, "").replace("/", "__")),
      join(modules, "@types", peer.replace(/^@/, "").replace("/", "__")),
    );
  }
}

const files = [];
const shims = new Set();
let count = 0;
for (const readme of readmes) {
  const snippets = extractSnippets(readme);
  snippets.forEach((snippet, index) => {
    const others = [...snippets.slice(0, index), ...snippets.slice(index + 1)];
    const carried = carriedImports(others, snippet.code);
    const isModule = /^\s*(import|export)\s/m.test(snippet.code) || carried.length > 0;
    const header = [...carried, "// --- snippet ---"];
    const body = `${header.join("\n")}\n${snippet.code}\n${isModule ? "" : "export {};\n"}`;
    const name = `${relative(repoRoot, readme).replace(/[/.]/g, "_")}_${snippet.line}.${snippet.lang === "tsx" ? "tsx" : "ts"}`;
    writeFileSync(join(project, "snippets", name), body);
    files.push({ name, readme, snippet, offset: header.length });
    count += 1;
    for (const imp of importsOf(body)) {
      const pkgName = packageNameOf(imp.source);
      if (imp.source.startsWith("node:") || imp.source.startsWith(".")) continue;
      if (!existsSync(join(modules, pkgName)) && !existsSync(join(repoRoot, "node_modules", pkgName)))
        shims.add(pkgName);
    }
  });
}
writeFileSync(
  join(project, "shims.d.ts"),
  `// Third-party modules the snippets import that are not installed here: untyped.\n${[...shims]
    .map((name) => `declare module ${JSON.stringify(name)};\ndeclare module ${JSON.stringify(`${name}/*`)};`)
    .join("\n")}\n`,
);
writeFileSync(join(project, "prelude.d.ts"), readFileSync(join(repoRoot, "tools/snippets-prelude.d.ts"), "utf8"));
writeFileSync(
  join(project, "tsconfig.json"),
  JSON.stringify(
    {
      compilerOptions: {
        target: "ES2022",
        module: "ESNext",
        moduleResolution: "bundler",
        lib: ["ES2022", "DOM", "DOM.Iterable"],
        types: ["node"],
        jsx: "react-jsx",
        strict: true,
        // Callbacks handed to an untyped third-party API (`app.post(path, (c) => …)`) have no
        // contextual type; everything typed by the SDK still is.
        noImplicitAny: false,
        noEmit: true,
        skipLibCheck: true,
        allowImportingTsExtensions: true,
      },
      include: ["snippets", "shims.d.ts", "prelude.d.ts"],
    },
    null,
    2,
  ),
);

const tsc = run(bin("tsc"), ["-p", join(project, "tsconfig.json"), "--pretty", "false"]);
const errors = new Map(files.map((f) => [f.name, []]));
const other = [];
for (const line of tsc.output.split("\n")) {
  const match = line.match(/snippets\/([^(/]+)\((\d+),(\d+)\): (error TS\d+: .*)$/);
  const file = match && files.find((f) => f.name === match[1]);
  if (file) {
    const readmeLine = file.snippet.line + Number(match[2]) - 1 - file.offset;
    const where =
      readmeLine >= file.snippet.line
        ? `${relative(repoRoot, file.readme)}:${readmeLine}:${match[3]}`
        : `${relative(repoRoot, file.readme)}:${file.snippet.line} (carried import)`;
    errors.get(file.name).push(`${where}  ${match[4]}`);
  } else if (/error TS/.test(line)) {
    other.push(line);
  }
}

const rows = [["README", "snippets", "failing", "result"]];
let failing = 0;
for (const readme of readmes) {
  const mine = files.filter((f) => f.readme === readme);
  const bad = mine.filter((f) => errors.get(f.name).length > 0);
  failing += bad.length;
  rows.push([relative(repoRoot, readme), mine.length, bad.length, bad.length ? "FAIL" : "ok"]);
}
for (const f of files) for (const message of errors.get(f.name)) console.log(message);
for (const line of other) console.log(line);
if (errors.size || other.length) console.log("");
printTable(rows);
console.log(
  `\n${count} snippet(s), ${failing} failing${shims.size ? `; untyped third-party modules: ${[...shims].join(", ")}` : ""}`,
);
process.exit(failing || other.length || (!tsc.ok && failing === 0 && other.length === 0 && tsc.output.trim()) ? 1 : 0);
