import { defineConfig } from "tsdown";

export default defineConfig({
  // index.ts uses Web APIs only (edge runtimes, Bun, Deno); node.ts holds the node:http adapter.
  entry: ["src/index.ts", "src/node.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  platform: "neutral",
});
