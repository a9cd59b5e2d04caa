import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    reporters: ["default", "json"],
    outputFile: { json: ".reports/vitest.json" },
    include: ["test/**/*.test.ts"],
    // Rebuilds dist/main.js when src/ changed: the scenario tests spawn the built binary.
    globalSetup: ["test/global-setup.ts"],
    // A guard against hangs only, never an assertion: scenario tests spawn several CLI processes
    // each, which on a loaded 2-core machine takes far longer than on a developer laptop.
    testTimeout: 120_000,
  },
});
