import { defineConfig } from "tsdown";

export default defineConfig([
  {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    platform: "node",
    // .js/.cjs like the other packages (platform "node" would default to .mjs/.cjs).
    fixedExtension: false,
    // The CJS build locates fixtures/ through import.meta.url, which needs the shim.
    shims: true,
  },
  {
    // `@videoretalk/emulator/msw`: MSW handlers for browsers and Node, so no node: imports.
    entry: ["src/msw.ts"],
    format: ["esm", "cjs"],
    dts: true,
    clean: false,
    platform: "neutral",
    fixedExtension: false,
  },
  {
    // The `videoretalk-emulator` binary: ESM only, no declarations.
    entry: ["src/cli.ts"],
    format: ["esm"],
    dts: false,
    clean: false,
    platform: "node",
    fixedExtension: false,
  },
]);
