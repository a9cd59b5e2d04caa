// `pnpm bench` (scale-out row): 1,000 jobs through BullMQ on a real redis-server, 4 worker
// processes, the emulator at a fixed create rate (time scaled). Prints wall time ÷ the rate-limit
// bound, the creates ÷ their part of the bound (the local batch bench's figure), task reads per
// task, 429s, duplicates and peak RSS per worker. Prints; never fails a build.
//
// The bound: no run can beat jobs ÷ rate for the creates, and the last task created must still
// run (up to TASK_MAX_S emulated seconds) before it can finish: bound = jobs ÷ rate + the longest
// task's run time. Wall time is from the coordinator's start to its summary (enqueue, every
// create, the last task running, every download).
// BENCH_ROWS=unknown|createsPerSecond runs one row; BENCH_TRACE=<prefix> writes every worker event.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createVideoRetalk } from "@videoretalk/core";
import { startRedis } from "@videoretalk/test-support/redis-server";
import { runQueuedBatch } from "../dist/index.js";
import { spawnJsonChild } from "./support/json-child.mjs";

const JOBS = Number(process.env.BENCH_JOBS ?? 1000);
const WORKERS = 4;
// 2 creates per emulated second (bursts of 2) at speed 25 = 50 real creates/s. The emulator's
// tasks take 30–60 emulated s: 1.2–2.4 s real.
const SPEED = 25;
const CREATES_PER_SECOND = 2;
const TASK_MAX_S = 60;
const realRate = CREATES_PER_SECOND * SPEED;
const EMULATOR_CLI = createRequire(import.meta.url)
  .resolve("@videoretalk/emulator/package.json")
  .replace(/package\.json$/, "dist/cli.js");

/** The emulator in its own process, so the coordinator's work never delays its answers. */
async function startEmulatorProcess() {
  const child = spawn(
    process.execPath,
    [EMULATOR_CLI, "--port", "0", "--speed", String(SPEED), "--creates-per-second", String(CREATES_PER_SECOND)],
    { stdio: ["ignore", "pipe", "ignore"] },
  );
  const url = await new Promise((resolve, reject) => {
    let text = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      text += chunk;
      const match = /http:\/\/[^\s]+/.exec(text);
      if (match) resolve(match[0]);
    });
    child.once("exit", (code) => reject(new Error(`emulator exited (${code})`)));
  });
  return {
    url,
    stats: async () => (await fetch(`${url}/__emulator/stats`)).json(),
    close: async () => {
      child.kill("SIGTERM");
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", resolve)));
    },
  };
}
const createsBoundMs = (JOBS / realRate) * 1000;
const lastTaskMs = (TASK_MAX_S / SPEED) * 1000;
const boundMs = createsBoundMs + lastTaskMs;

async function runRow(label, workerOptions) {
  const redis = await startRedis();
  const emulator = await startEmulatorProcess();
  const dir = mkdtempSync(join(tmpdir(), "vr-bullmq-bench-"));
  const workers = [];
  try {
    for (let index = 0; index < WORKERS; index++) {
      workers.push(
        spawnJsonChild("../../test/support/worker-process.mjs", {
          redis: redis.url,
          baseUrl: emulator.url,
          queueName: "bench",
          minPollIntervalMs: 100,
          maxPollIntervalMs: 2_000,
          ...workerOptions,
        }),
      );
    }
    await Promise.all(workers.map((worker) => worker.next((event) => event.type === "ready")));
    const client = createVideoRetalk({ apiKey: "bench", baseUrl: emulator.url, filesBaseUrl: emulator.url });
    const samples = `${emulator.url}/samples`;
    const jobs = Array.from({ length: JOBS }, (_, index) => ({
      id: `job-${index}`,
      video: `${samples}/speaker.mp4?job=${index}`,
      audio: `${samples}/speech.wav`,
    }));
    const started = performance.now();
    const startedAt = Date.now();
    const summary = await runQueuedBatch(client, jobs, {
      redis: redis.url,
      queueName: "bench",
      outDir: join(dir, "out"),
      allowPrivateNetwork: true,
      downloadConcurrency: 16,
    });
    const wallMs = performance.now() - started;
    // The create phase (what the local batch's bench times): from the start to the last create
    // a worker reported; the rest of the wall time is the last tasks running and downloading.
    const createdAt = workers.flatMap((worker) =>
      worker.events.filter((event) => event.type === "created").map((event) => event.at - startedAt),
    );
    if (process.env.BENCH_TRACE) {
      // Every worker event with when the bench saw it, for finding where the time goes.
      const trace = workers.flatMap((worker, index) =>
        worker.events.map((event) => ({ worker: index, ...event, ms: event.at - startedAt })),
      );
      writeFileSync(`${process.env.BENCH_TRACE}-${label.split(" ")[0]}.json`, JSON.stringify(trace));
    }
    const firstCreateMs = Math.min(...createdAt);
    const lastCreateMs = Math.max(...createdAt);
    for (const worker of workers) worker.process.kill("SIGTERM");
    const closed = await Promise.all(workers.map((worker) => worker.next((event) => event.type === "closed")));
    const stats = await emulator.stats();
    const perVideo = new Map();
    for (const task of stats.tasks) perVideo.set(task.videoUrl, (perVideo.get(task.videoUrl) ?? 0) + 1);
    const duplicates = [...perVideo.values()].reduce((sum, count) => sum + count - 1, 0);
    return {
      row: label,
      done: `${summary.totals.downloaded}/${JOBS}`,
      "wall s": (wallMs / 1000).toFixed(1),
      "bound s": (boundMs / 1000).toFixed(1),
      "first create s": (firstCreateMs / 1000).toFixed(1),
      "creates ÷ jobs/rate": (lastCreateMs / createsBoundMs).toFixed(2),
      "wall ÷ bound": (wallMs / boundMs).toFixed(2),
      "reads/task": ((stats.taskReads + stats.batchReads) / JOBS).toFixed(2),
      "429s": stats.createsRateLimited,
      duplicates,
      "peak RSS/worker MB": closed.map((event) => Math.round(event.peakRssBytes / 1e6)).join(" "),
    };
  } finally {
    for (const worker of workers) worker.process.kill("SIGKILL");
    await emulator.close();
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  console.log(
    `scale-out: ${JOBS} jobs, ${WORKERS} worker processes, emulator at ${CREATES_PER_SECOND} creates/s × speed ${SPEED} (= ${realRate}/s real)`,
  );
  const rows = [];
  // BENCH_ROWS=known or =unknown runs one row (several runs of one mode, to see the spread).
  const only = process.env.BENCH_ROWS;
  for (const [label, options] of [
    ["unknown rate: 429 → queue-wide pause (Retry-After)", {}],
    ["createsPerSecond = the known rate (shared schedule)", { createsPerSecond: realRate }],
  ].filter(([label]) => !only || label.startsWith(only))) {
    try {
      rows.push(await runRow(label, options));
    } catch (error) {
      rows.push({ row: label, done: `could not run: ${error?.message ?? error}` });
    }
  }
  console.table(rows);
  console.log(
    `bound = jobs ÷ rate (${(createsBoundMs / 1000).toFixed(1)} s) + the longest task's run (${(lastTaskMs / 1000).toFixed(1)} s): the last task created must still run. ` +
      "target: wall ÷ bound ≤ 1.10, duplicates 0. creates ÷ jobs/rate: start to the last create, as the local batch's bench times it.",
  );
  console.log(
    `load average at the end: ${loadavg()
      .map((load) => load.toFixed(1))
      .join(" ")} (${cpus().length} cores)`,
  );
} catch (error) {
  console.error(`scale-out bench could not run: ${error?.stack ?? error}`);
}
process.exit(0);
