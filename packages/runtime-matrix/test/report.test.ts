import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeReport } from "../src/report.mjs";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("writeReport", () => {
  it("writes one vitest-shaped entry per runtime × test, counting a runtime that could not start as failed", () => {
    const dir = mkdtempSync(join(tmpdir(), "matrix-report-"));
    dirs.push(dir);
    writeReport(dir, "runtime-matrix.json", [
      {
        runtime: "node22",
        results: [
          { name: "core: create", status: "passed" },
          { name: "polling: wait", status: "passed" },
        ],
      },
      {
        runtime: "bun",
        results: [{ name: "runtime starts and runs the suite", status: "failed", message: "bun binary missing" }],
      },
    ]);
    const report = JSON.parse(readFileSync(join(dir, "runtime-matrix.json"), "utf8"));
    // The fields tools/ci-summary.mjs reads.
    expect(report.numPassedTests).toBe(2);
    expect(report.numFailedTests).toBe(1);
    expect(report.testResults.map((suite: { status: string }) => suite.status)).toEqual(["passed", "failed"]);
    expect(report.testResults[1].assertionResults[0]).toMatchObject({
      fullName: "bun › runtime starts and runs the suite",
      status: "failed",
      failureMessages: ["bun binary missing"],
    });
  });

  it("fails a runtime that reported no results at all (it proved nothing)", () => {
    const dir = mkdtempSync(join(tmpdir(), "matrix-report-"));
    dirs.push(dir);
    writeReport(dir, "runtime-matrix.json", [{ runtime: "deno", results: [] }]);
    const report = JSON.parse(readFileSync(join(dir, "runtime-matrix.json"), "utf8"));
    expect(report.success).toBe(false);
    expect(report.testResults[0]).toMatchObject({ status: "failed", message: "deno reported no results" });
  });
});
