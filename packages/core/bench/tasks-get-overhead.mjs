#!/usr/bin/env node
// Benchmark: per-request time of client.tasks.get against a loopback server, as a ratio to a
// raw fetch + JSON parse of the same URL. Both run side by side, interleaved in rounds, so
// machine noise hits them equally. Target: ratio <= 1.05.
import { createServer } from "node:http";
import { performance } from "node:perf_hooks";
import { createVideoRetalk } from "../dist/index.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 200);
const TARGET = 1.05;

const task = JSON.stringify({
  created: 1775200000,
  id: "task-unified-1775200000-bench001",
  model: "videoretalk",
  object: "video.generation.task",
  progress: 45,
  status: "processing",
  task_info: { can_cancel: false, estimated_time: 50, video_duration: 12 },
  type: "video",
  usage: { billing_rule: "per_second", credits_reserved: 480, user_group: "default" },
});

const server = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/json", "x-request-id": "bench" });
  res.end(task);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address();
const baseUrl = `http://127.0.0.1:${port}`;
const id = "task-unified-1775200000-bench001";
const url = `${baseUrl}/v1/tasks/${id}`;
const client = createVideoRetalk({ apiKey: "bench-key-0000", baseUrl });

async function rawFetch() {
  const response = await fetch(url, { headers: { authorization: "Bearer bench-key-0000" } });
  return response.json();
}
const sdkGet = () => client.tasks.get(id);

async function timeBatch(fn) {
  const start = performance.now();
  for (let i = 0; i < PER_ROUND; i++) await fn();
  return (performance.now() - start) / PER_ROUND;
}

// Warm both paths (JIT, connection pool).
for (let i = 0; i < 500; i++) {
  await rawFetch();
  await sdkGet();
}

const raw = [];
const sdk = [];
for (let round = 0; round < ROUNDS; round++) {
  // Alternate the order so neither side always runs on a warmer machine.
  if (round % 2 === 0) {
    raw.push(await timeBatch(rawFetch));
    sdk.push(await timeBatch(sdkGet));
  } else {
    sdk.push(await timeBatch(sdkGet));
    raw.push(await timeBatch(rawFetch));
  }
}
server.close();

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const rawMs = median(raw);
const sdkMs = median(sdk);
// Each round's two batches run back to back, so their ratio cancels out slower drifts in machine
// load; the median over rounds then drops the rounds a burst of noise hit.
const ratio = median(sdk.map((ms, round) => ms / raw[round]));
console.log("client.tasks.get vs raw fetch (loopback, median of per-round ratios)");
console.log(`  rounds × requests : ${ROUNDS} × ${PER_ROUND} each side`);
console.log(`  raw fetch + json  : ${(rawMs * 1000).toFixed(1)} µs/request`);
console.log(`  client.tasks.get  : ${(sdkMs * 1000).toFixed(1)} µs/request`);
console.log(
  `  ratio             : ${ratio.toFixed(3)}× (target ≤ ${TARGET}×) ${ratio <= TARGET ? "OK" : "OVER TARGET"}`,
);
