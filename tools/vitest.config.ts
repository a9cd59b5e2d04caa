import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "json"],
    outputFile: { json: ".reports/vitest.json" },
    // The loop test runs `pnpm generate` and `tsc` on a copy of core: seconds, not milliseconds.
    testTimeout: 120_000,
  },
});
