#!/usr/bin/env node
// Benchmark: how long `videoretalk lipsync` takes to exit after Ctrl-C (SIGINT) while it waits
// for a task. The tests check the behaviour (exit 130, the wait abandoned after one read, see
// test/unit/abort.test.ts); this prints the real figures on this machine, now. It never fails.
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { startEmulator } from "@videoretalk/emulator";

const CLI = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function env(url) {
  return {
    PATH: process.env.PATH ?? "",
    EVOLINK_API_KEY: "bench-key",
    EVOLINK_BASE_URL: url,
    EVOLINK_FILES_BASE_URL: url,
  };
}

/** Spawns the CLI; resolves when stderr matches `pattern`, then to the exit once it ends. */
function run(args, url) {
  const child = spawn(process.execPath, [CLI, ...args], { env: env(url), stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  const exited = new Promise((resolve) => child.on("close", (code) => resolve({ code, at: performance.now() })));
  const seen = (pattern) =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (pattern.test(stderr)) resolve(performance.now());
      };
      child.stderr.setEncoding("utf8").on("data", (chunk) => {
        stderr += chunk;
        check();
      });
      child.on("close", () => reject(new Error(`exited before ${pattern}: ${stderr}`)));
    });
  return { child, exited, seen };
}

function summary(label, values) {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  console.log(
    `${label}: median ${median.toFixed(0)} ms, min ${sorted[0]?.toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms (${values.length} runs)`,
  );
}

const emulator = await startEmulator({ speed: 1 });
try {
  const latencies = [];
  for (let i = 0; i < RUNS; i++) {
    const cli = run(
      ["lipsync", "--video", `${emulator.url}/samples/speaker.mp4`, "--audio", `${emulator.url}/samples/speech.wav`],
      emulator.url,
    );
    await cli.seen(/created task \S+/);
    const interruptedAt = performance.now();
    cli.child.kill("SIGINT");
    const { code, at } = await cli.exited;
    if (code !== 130) console.log(`  run ${i + 1}: exit ${code} (expected 130)`);
    latencies.push(at - interruptedAt);
  }
  summary("Ctrl-C while waiting → exit", latencies);
} catch (error) {
  console.log(`abort latency bench could not run: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await emulator.close();
}
