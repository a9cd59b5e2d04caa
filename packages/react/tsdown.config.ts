import { defineConfig } from "tsdown";
import { assertDirectives } from "./build/check-directives.js";

export default defineConfig({
  // index.ts starts with "use client"; queries.ts has none, so servers can import it to prefetch.
  entry: ["src/index.ts", "src/queries.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  platform: "neutral",
  outputOptions: {
    // The upload and media-check hooks get a file of their own: bundlers drop an unused file
    // whole, including its imports (`errorFromResponse`, `useEffect`), which they keep when the
    // code shares a file with the hooks an app does use.
    codeSplitting: {
      groups: [{ name: "media-upload", test: /[\\/]src[\\/](upload-file|use-media-check|media-check)\.ts$/ }],
    },
  },
  hooks: {
    // Fails the build if a bundler update ever drops (or spreads) the directive.
    "build:done": ({ chunks }) => assertDirectives(chunks),
  },
});
