import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    reporters: ["default", "json"],
    outputFile: { json: ".reports/vitest.json" },
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], setupFiles: ["test/unit/preload-failure-path.ts"] },
      },
      {
        extends: true,
        test: {
          name: "contract",
          include: ["test/contract/**/*.contract.test.ts"],
          globalSetup: ["test/contract/prism-global-setup.ts"],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
