import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    reporters: ["default", "json"],
    outputFile: { json: ".reports/vitest.json" },
    include: ["test/**/*.test.ts"],
    // Rebuilds dist/main.js when src/ changed: the scenario tests spawn the built binary.
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
  },
});
