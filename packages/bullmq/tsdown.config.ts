import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  platform: "node",
  // `.js` / `.cjs` as the exports map says (platform "node" would pick `.mjs` otherwise).
  fixedExtension: false,
});
