import { defineConfig } from "tsdown";

export default defineConfig({
  // index.node.ts adds file-path uploads; browser bundles pick index.ts, which has no node: imports.
  entry: ["src/index.ts", "src/index.node.ts", "src/validation.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  platform: "neutral",
});
