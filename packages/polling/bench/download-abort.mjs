// Measures how long downloadResult() takes to give up after `signal` aborts: the real-time
// side of "abort stops at once", which the tests check as behaviour (timers cleared, nothing
// more sent) rather than as milliseconds. Prints figures; never fails on a number.
//
//   cd packages/polling && npx tsdown && node bench/download-abort.mjs
//   BENCH_ABORT_ROUNDS=50 node bench/download-abort.mjs
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

const rounds = Number(process.env.BENCH_ABORT_ROUNDS ?? 20);
const MiB = 1024 * 1024;

let downloadResult;
try {
  ({ downloadResult } = await import("../dist/index.node.js"));
} catch {
  console.error("dist/index.node.js not found: build first with `npx tsdown` in packages/polling.");
  process.exit(1);
}

// Sends 1 MiB of an announced 4 MiB, then stalls with the socket open.
const body = Buffer.alloc(MiB, 7);
const server = createServer((_req, res) => {
  res.writeHead(200, { "Content-Type": "video/mp4", "Content-Length": String(4 * MiB) });
  res.write(body);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${server.address().port}/stall.mp4`;
const dir = await mkdtemp(join(tmpdir(), "vr-abort-bench-"));

/** Starts a download, aborts it when `ready` resolves, and returns ms from abort to rejection. */
async function abortLatency(start) {
  const controller = new AbortController();
  let abortedAt = 0;
  const { done, ready } = start(controller.signal);
  const settled = done.then(
    () => performance.now(),
    () => performance.now(),
  );
  await ready;
  abortedAt = performance.now();
  controller.abort(new Error("bench"));
  return (await settled) - abortedAt;
}

function midBody(signal) {
  let reached;
  const ready = new Promise((resolve) => {
    reached = resolve;
  });
  const done = downloadResult(url, join(dir, "mid.mp4"), {
    allowPrivateNetwork: true,
    signal,
    onProgress: ({ receivedBytes }) => receivedBytes >= MiB && reached(),
  });
  return { done, ready };
}

function resumeWait(signal) {
  let calls = 0;
  let waiting;
  const ready = new Promise((resolve) => {
    waiting = resolve;
  });
  const done = downloadResult("https://results.example.test/x.mp4", join(dir, "wait.mp4"), {
    signal,
    maxRetries: 10,
    lookup: async () => [{ address: "93.184.215.14", family: 4 }],
    fetch: async () => {
      calls += 1;
      // The second failure is followed by a 125–250 ms wait; abort inside it.
      if (calls === 2) setImmediate(waiting);
      throw new TypeError("fetch failed");
    },
  });
  return { done, ready };
}

function summary(name, samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2);
  console.log(`  ${name.padEnd(34)} median ${at(0.5)} ms   p95 ${at(0.95)} ms   max ${at(1)} ms`);
}

try {
  console.log(`abort latency of downloadResult, ${rounds} rounds each (Node ${process.version})`);
  const mid = [];
  const wait = [];
  for (let i = 0; i < rounds; i++) {
    mid.push(await abortLatency(midBody));
    wait.push(await abortLatency(resumeWait));
  }
  summary("abort while the server stalls", mid);
  summary("abort during the resume wait", wait);
} finally {
  server.closeAllConnections?.();
  server.close();
  await rm(dir, { recursive: true, force: true });
}
