import { defineConfig } from "tsdown";

export default defineConfig({
  // index.node.ts adds file-path support; bundlers for browsers pick index.ts, which has no node: imports.
  entry: ["src/index.ts", "src/index.node.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  platform: "neutral",
});
