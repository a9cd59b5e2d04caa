import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    reporters: ["default", "json"],
    outputFile: { json: ".reports/vitest.json" },
    include: ["test/**/*.test.ts"],
    // Guards against hangs only, never assertions: time in the tests is the emulator's fake
    // clock, and Prism's start-up on a loaded 2-core machine can take far longer than usual.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
