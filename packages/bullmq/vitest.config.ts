import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    reporters: ["default", "json"],
    outputFile: { json: ".reports/vitest.json" },
    include: ["test/**/*.test.ts"],
    // Fails at once without redis-server; rebuilds dist/ for the spawned worker processes.
    globalSetup: ["test/global-setup.ts"],
    // Real Redis, real worker processes and the emulator: generous hang guards only.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
