#!/usr/bin/env node
// Sums the JSON test reports every suite writes to <package>/.reports/*.json and adds one
// failure per failed CI gate (passed as arguments). Prints the plain `N passed, N failed` line
// CI reads, after listing what failed.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { testReportDirs } from "./lib/workspace.mjs";

const failedGates = process.argv.slice(2);
let passed = 0;
let failed = 0;
const failures = [];
const reports = [];

for (const { name, dir } of testReportDirs()) {
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    const report = JSON.parse(readFileSync(join(dir, file), "utf8"));
    reports.push(`${name}/.reports/${file}`);
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    for (const suite of report.testResults ?? []) {
      const tests = suite.assertionResults ?? [];
      for (const test of tests) {
        if (test.status === "failed") failures.push(`${name}: ${test.fullName ?? test.title}`);
      }
      // A file that fails to load has no failed test in it, only a failed suite: count it once.
      if (suite.status === "failed" && !tests.some((test) => test.status === "failed")) {
        failed += 1;
        failures.push(
          `${name}: ${suite.name ?? "a test file"} failed to run: ${String(suite.message ?? "").split("\n")[0]}`,
        );
      }
    }
  }
}

console.log(`test reports read: ${reports.length ? reports.join(", ") : "none"}`);
for (const failure of failures) console.log(`failed test: ${failure}`);
for (const gate of failedGates) console.log(`failed gate: ${gate}`);
console.log(`${passed} passed, ${failed + failedGates.length} failed`);
