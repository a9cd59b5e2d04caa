import { defineConfig } from "vitest/config";

// Unit tests of the runner's own logic (the Chromium locator, the report). The matrix suite itself
// (suite/) is plain JavaScript run by src/run-matrix.mjs on every runtime, not by vitest.
export default defineConfig({
  test: {
    reporters: ["default", "json"],
    outputFile: { json: ".reports/vitest.json" },
    include: ["test/**/*.test.ts"],
  },
});
