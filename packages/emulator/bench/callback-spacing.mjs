#!/usr/bin/env node
// Benchmark: real-time spacing of the emulator's callback retries. The tests check the schedule
// exactly on a fake clock (1, 2 and 4 s, divided by speed); this measures what a receiver on
// 127.0.0.1 actually sees on this machine, now. It prints figures and never fails.
import { createServer } from "node:http";
import { performance } from "node:perf_hooks";
import { CALLBACK_RETRY_DELAYS_S, startEmulator } from "../dist/index.js";

const SPEED = Number(process.env.BENCH_SPEED ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** One task whose callback fails three times: the real gaps between the four attempts, in ms. */
async function measureOnce() {
  const arrivals = [];
  let allArrived;
  const done = new Promise((resolve) => {
    allArrived = resolve;
  });
  const receiver = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      arrivals.push(performance.now());
      res.statusCode = arrivals.length <= CALLBACK_RETRY_DELAYS_S.length ? 500 : 200;
      res.end();
      if (arrivals.length === CALLBACK_RETRY_DELAYS_S.length + 1) allArrived();
    });
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${receiver.address().port}`;
  // A cancelled task ends at 30 % of 30–60 s: 0.9–1.8 s at speed 10, then the four attempts.
  const timed = await startEmulator({ speed: SPEED, callbackHosts: [new URL(origin).host] });
  try {
    const answer = await fetch(`${timed.url}/v1/videos/generations`, {
      method: "POST",
      headers: { authorization: "Bearer bench", "content-type": "application/json", "x-emulator-scenario": "cancel" },
      body: JSON.stringify({
        model: "videoretalk",
        video_url: "https://example.com/v.mp4",
        audio_url: "https://example.com/a.wav",
        callback_url: `${origin}/hook`,
      }),
    });
    if (!answer.ok) throw new Error(`create answered ${answer.status}`);
    const guard = setTimeout(() => allArrived(), 120_000);
    await done;
    clearTimeout(guard);
    return arrivals.slice(1).map((at, i) => at - arrivals[i]);
  } finally {
    await timed.close();
    await new Promise((resolve) => receiver.close(resolve));
  }
}

try {
  const expected = CALLBACK_RETRY_DELAYS_S.map((s) => (s * 1000) / SPEED);
  console.log(`callback retry spacing at speed ${SPEED}: expected ${expected.map((ms) => `${ms} ms`).join(", ")}`);
  for (let run = 1; run <= RUNS; run++) {
    const gaps = await measureOnce();
    const late = gaps.map((gap, i) => gap - (expected[i] ?? 0));
    console.log(
      `  run ${run}: gaps ${gaps.map((ms) => `${ms.toFixed(1)} ms`).join(", ")}` +
        ` (late by ${late.map((ms) => `${ms.toFixed(1)} ms`).join(", ")})`,
    );
  }
} catch (error) {
  console.log(`callback spacing bench could not run: ${error instanceof Error ? error.message : String(error)}`);
}
