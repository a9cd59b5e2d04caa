import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = dirname(fileURLToPath(import.meta.url));
const modules = `${here}/node_modules`;

// Hook and component tests run twice: on React 19 (the devDependency) and on React 18,
// installed under the npm aliases `react-18` / `react-dom-18`.
const hookTests = ["test/**/*.test.tsx", "test/react-version.test.ts"];

export default defineConfig({
  test: {
    // The hook tests mostly wait on 20 ms polling timers, so two workers pay off even on two cores
    // (vitest's default there is one).
    maxWorkers: 2,
    reporters: ["default", "json"],
    outputFile: { json: ".reports/vitest.json" },
    projects: [
      {
        extends: true,
        test: {
          name: "react19",
          environment: "happy-dom",
          include: hookTests,
          env: { EXPECTED_REACT_MAJOR: "19" },
          setupFiles: ["test/support/setup.ts"],
        },
      },
      {
        extends: true,
        resolve: {
          // Everything Vite resolves (our code, tests, and the inlined packages below).
          alias: [
            { find: /^react(\/.*)?$/, replacement: `${modules}/react-18$1` },
            { find: /^react-dom(\/.*)?$/, replacement: `${modules}/react-dom-18$1` },
          ],
          dedupe: ["react", "react-dom"],
        },
        test: {
          name: "react18",
          environment: "happy-dom",
          include: hookTests,
          env: { EXPECTED_REACT_MAJOR: "18" },
          // Node's own require() inside react-dom 18 (CJS) would find pnpm's React 19 peer link.
          setupFiles: ["test/support/react18-setup.ts", "test/support/setup.ts"],
          // ESM packages that import React go through Vite so the aliases above apply to them.
          server: { deps: { inline: ["@tanstack/react-query", "@testing-library/react"] } },
        },
      },
      {
        extends: true,
        test: {
          name: "node",
          environment: "node",
          include: ["test/**/*.test.ts"],
          exclude: ["test/react-version.test.ts"],
        },
      },
    ],
  },
});
