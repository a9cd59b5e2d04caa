import { defineConfig } from "tsdown";

export default defineConfig({
  // index.node.ts adds file paths; browser bundles pick index.ts, which has no node: imports.
  // mediainfo.js stays external (a dependency) and is imported lazily, on the first inspection.
  entry: ["src/index.ts", "src/index.node.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  platform: "neutral",
});
