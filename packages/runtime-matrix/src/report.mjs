// Writes the matrix's results as a vitest-shaped JSON report into .reports/, so that
// tools/ci-summary.mjs counts every runtime × test in CI's `N passed, N failed` line.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** @param {{ runtime: string, results: { name: string, status: string, message?: string }[] }[]} rows */
export function writeReport(dir, fileName, rows) {
  const assertions = rows.flatMap((row) =>
    row.results.map((result) => ({
      title: result.name,
      fullName: `${row.runtime} › ${result.name}`,
      status: result.status,
      failureMessages: result.message ? [result.message] : [],
    })),
  );
  const passed = assertions.filter((a) => a.status === "passed").length;
  const report = {
    numTotalTests: assertions.length,
    numPassedTests: passed,
    numFailedTests: assertions.length - passed,
    success: passed === assertions.length && rows.every((row) => row.results.length > 0),
    testResults: rows.map((row) => ({
      name: `runtime-matrix/${row.runtime}`,
      status: row.results.length > 0 && row.results.every((result) => result.status === "passed") ? "passed" : "failed",
      message: row.results.length > 0 ? "" : `${row.runtime} reported no results`,
      assertionResults: assertions.filter((a) => a.fullName.startsWith(`${row.runtime} › `)),
    })),
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, fileName), `${JSON.stringify(report, null, 2)}\n`);
}
