import { defineConfig } from "tsdown";
import { assertDirectives } from "./build/check-directives.js";

export default defineConfig({
  // index.ts starts with "use client"; queries.ts has none, so servers can import it to prefetch.
  entry: ["src/index.ts", "src/queries.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  platform: "neutral",
  hooks: {
    // Fails the build if a bundler update ever drops (or spreads) the directive.
    "build:done": ({ chunks }) => assertDirectives(chunks),
  },
});
