#!/usr/bin/env node
// Sums the JSON test reports every suite writes to <package>/.reports/*.json and adds one
// failure per failed CI gate (passed as arguments). Prints the plain `N passed, N failed` line
// CI reads, after listing what failed.
import { readTestReports } from "./lib/test-reports.mjs";

const failedGates = process.argv.slice(2);
const { passed, failed, failures, reports } = readTestReports();

console.log(`test reports read: ${reports.length ? reports.join(", ") : "none"}`);
for (const failure of failures) console.log(`failed test: ${failure}`);
for (const gate of failedGates) console.log(`failed gate: ${gate}`);
console.log(`${passed} passed, ${failed + failedGates.length} failed`);
