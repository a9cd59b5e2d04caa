// Reads the JSON test reports every suite writes to <package>/.reports/*.json (the folders of
// testReportDirs), for the CI summary and the stress rounds: one reading, so both count alike.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { testReportDirs } from "./workspace.mjs";

/**
 * @typedef {object} TestReportTotals
 * @property {number} passed     tests that passed
 * @property {number} failed     failed tests, plus one per file that failed to load and per unreadable report
 * @property {string[]} failures one line per failure, `<package folder>: <what failed>`
 * @property {string[]} reports  the reports read, e.g. `packages/core/.reports/vitest.json`
 */

/** The `.json` files of one report folder, or none when the suite wrote no report. */
function reportFiles(dir) {
  return existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith(".json")) : [];
}

/**
 * Sums every report. A report that is not valid JSON counts as one failure (a suite that died
 * mid-write must not pass), as does a test file that failed to load (it has no failed test in
 * it, only a failed suite).
 * @returns {TestReportTotals}
 */
export function readTestReports() {
  /** @type {TestReportTotals} */
  const totals = { passed: 0, failed: 0, failures: [], reports: [] };
  for (const { name, dir } of testReportDirs()) {
    for (const file of reportFiles(dir)) {
      let report;
      try {
        report = JSON.parse(readFileSync(join(dir, file), "utf8"));
      } catch {
        totals.failed += 1;
        totals.failures.push(`${name}: .reports/${file} is not valid JSON`);
        continue;
      }
      totals.reports.push(`${name}/.reports/${file}`);
      addReport(totals, name, report);
    }
  }
  return totals;
}

/** Adds one parsed Vitest/Jest-style JSON report of package folder `name` to `totals`. */
function addReport(totals, name, report) {
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  for (const suite of report.testResults ?? []) {
    const tests = suite.assertionResults ?? [];
    for (const test of tests) {
      if (test.status === "failed") totals.failures.push(`${name}: ${test.fullName ?? test.title}`);
    }
    if (suite.status === "failed" && !tests.some((test) => test.status === "failed")) {
      totals.failed += 1;
      const reason = String(suite.message ?? "").split("\n")[0];
      totals.failures.push(`${name}: ${suite.name ?? "a test file"} failed to run: ${reason}`);
    }
  }
}

/** Deletes every report, so a suite that does not run next cannot pass on stale results. */
export function clearTestReports() {
  for (const { dir } of testReportDirs()) {
    for (const file of reportFiles(dir)) rmSync(join(dir, file), { force: true });
  }
}
