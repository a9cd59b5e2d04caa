#!/usr/bin/env node
// `pnpm test:stress`: runs `pnpm test` several rounds in a row while a CPU hog keeps every core
// busy, and reports every test that failed in any round. A suite whose verdict depends on the
// machine's speed shows up here; a deterministic one passes every round.
//
//   pnpm test:stress                 5 rounds
//   pnpm test:stress --rounds 3      (or TEST_STRESS_ROUNDS=3)
//   pnpm test:stress --hogs 4        busy processes (default: one per core; TEST_STRESS_HOGS)
//   pnpm test:stress -- --filter=@videoretalk/emulator   arguments after -- go to `pnpm test`
//
// The hog is `stress-ng --cpu N` when it is installed (Debian: apt-get install stress-ng), else
// N Node processes spinning in a loop. Each round's results come from the JSON reports the
// suites write to <package>/.reports/*.json, read by tools/lib/test-reports.mjs as for CI; the
// reports are cleared before each round so that a suite that did not run cannot pass on stale
// results.
// Each round's output goes to .tmp/test-stress/round-<n>.log. Exits 1 if anything failed.
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { clearTestReports, readTestReports } from "./lib/test-reports.mjs";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const logDir = join(repoRoot, ".tmp", "test-stress");

/** The script's own arguments: those before a `--`. */
function ownArgs() {
  const args = process.argv.slice(2);
  const end = args.indexOf("--");
  return end === -1 ? args : args.slice(0, end);
}

/** Arguments after `--`, passed on to `pnpm test`. */
function testArgs() {
  const args = process.argv.slice(2);
  const end = args.indexOf("--");
  return end === -1 ? [] : args.slice(end + 1);
}

/** `--name value` or `--name=value` from argv, else the environment variable, else `fallback`. */
function positiveInt(flag, envName, fallback) {
  const args = ownArgs();
  let text;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === flag) text = args[i + 1];
    else if (args[i]?.startsWith(`${flag}=`)) text = args[i].slice(flag.length + 1);
  }
  text ??= process.env[envName];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`test:stress: ${flag} must be a whole number of at least 1, got "${text}".`);
    process.exit(2);
  }
  return value;
}

/** Starts the CPU hog; returns a function that stops it. */
function startHog(count) {
  const hasStressNg = spawnSync("stress-ng", ["--version"], { stdio: "ignore" }).status === 0;
  // Each hog leads its own process group, so stopping it also stops stress-ng's workers.
  const options = { stdio: "ignore", detached: true };
  const children = hasStressNg
    ? [spawn("stress-ng", ["--cpu", String(count), "--quiet"], options)]
    : Array.from({ length: count }, () => spawn(process.execPath, ["-e", "for (;;) {}"], options));
  console.log(`test:stress: CPU hog: ${hasStressNg ? `stress-ng --cpu ${count}` : `${count} busy Node processes`}`);
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    for (const child of children) {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  };
}

/** Runs `pnpm test` once, its output into `logFile`; resolves to its exit code. */
function runTests(logFile) {
  return new Promise((resolvePromise) => {
    const log = createWriteStream(logFile);
    const child = spawn("pnpm", ["test", ...testArgs()], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env: process.env,
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on("error", (error) => {
      log.end(`\n${error.message}\n`);
      resolvePromise(127);
    });
    child.on("close", (code) => {
      log.end();
      resolvePromise(code ?? 1);
    });
  });
}

const rounds = positiveInt("--rounds", "TEST_STRESS_ROUNDS", 5);
const hogs = positiveInt("--hogs", "TEST_STRESS_HOGS", availableParallelism());
mkdirSync(logDir, { recursive: true });
const stopHog = startHog(hogs);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopHog();
    process.exit(130);
  });
}
process.on("exit", stopHog);

const results = [];
try {
  for (let round = 1; round <= rounds; round++) {
    clearTestReports();
    const logFile = join(logDir, `round-${round}.log`);
    const started = Date.now();
    console.log(`test:stress: round ${round} of ${rounds}: pnpm test (output in ${logFile})`);
    const exitCode = await runTests(logFile);
    const { passed, failed, failures } = readTestReports();
    // `pnpm test` can fail without a failing test in any report (a build or a suite that wrote
    // no report): that round failed too.
    if (exitCode !== 0 && failures.length === 0) failures.push(`pnpm test exited ${exitCode}; see ${logFile}`);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    const failedCount = Math.max(failed, failures.length);
    results.push({ round, passed, failed: failedCount, failures });
    console.log(`test:stress: round ${round}: ${passed} passed, ${failedCount} failed (${seconds} s)`);
    for (const failure of failures) console.log(`  failed: ${failure}`);
  }
} finally {
  stopHog();
}

const byTest = new Map();
for (const { round, failures } of results) {
  for (const failure of failures) byTest.set(failure, [...(byTest.get(failure) ?? []), round]);
}
console.log("");
console.log(`test:stress: ${rounds} rounds of pnpm test under a ${hogs}-way CPU hog`);
if (byTest.size === 0) console.log("no test failed in any round");
for (const [failure, inRounds] of byTest) console.log(`failed in round ${inRounds.join(", ")}: ${failure}`);
for (const { round, passed, failed } of results) console.log(`round ${round}: ${passed} passed, ${failed} failed`);
const totalPassed = results.reduce((sum, r) => sum + r.passed, 0);
const totalFailed = results.reduce((sum, r) => sum + r.failed, 0);
console.log(`${totalPassed} passed, ${totalFailed} failed`);
process.exitCode = totalFailed > 0 ? 1 : 0;
