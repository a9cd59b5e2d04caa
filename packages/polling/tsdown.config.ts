import { defineConfig } from "tsdown";

export default defineConfig({
  // index.node.ts adds file-path support; bundlers for browsers pick index.ts, which has no node: imports.
  // schedule.ts is the `./schedule` subpath, which waits load with `import()`.
  entry: ["src/index.ts", "src/index.node.ts", "src/schedule.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  platform: "neutral",
  // One file per module: a bundler then drops an unused file whole (with its imports), and the
  // schedule that waits load with `import()` is not merged into a file the entry loads anyway.
  unbundle: true,
});
