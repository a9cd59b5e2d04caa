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
    // The `videoretalk-emulator` binary: ESM only, no declarations.
    entry: ["src/cli.ts"],
    format: ["esm"],
    dts: false,
    clean: false,
    platform: "node",
    fixedExtension: false,
  },
]);
