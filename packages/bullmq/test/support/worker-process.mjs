// One worker process for the multi-process tests and the bench: the built package, a core
// client for the emulator, events as JSON lines on stdout. SIGTERM closes it gracefully.
// Usage: node worker-process.mjs '<json options>'
import { createVideoRetalk } from "@videoretalk/core";
import { createLipSyncWorker } from "../../dist/index.js";

const options = JSON.parse(process.argv[2] ?? "{}");
// `at`: when it happened here (the bench times creates from it, not from when it read the line).
const say = (event) => process.stdout.write(`${JSON.stringify({ ...event, at: Date.now() })}\n`);
const client = createVideoRetalk({ apiKey: "test-key", baseUrl: options.baseUrl, filesBaseUrl: options.baseUrl });
const worker = await createLipSyncWorker({
  client,
  redis: options.redis,
  queueName: options.queueName,
  concurrency: options.concurrency,
  maxConcurrentCreates: options.maxConcurrentCreates,
  createsPerSecond: options.createsPerSecond,
  minPollIntervalMs: options.minPollIntervalMs,
  maxPollIntervalMs: options.maxPollIntervalMs,
  lockDurationMs: options.lockDurationMs,
  stalledIntervalMs: options.stalledIntervalMs,
  onEvent: say,
  onError: (error) => say({ type: "error", message: String(error?.message ?? error) }),
});
const stop = async () => {
  await worker.close();
  // Exit only once the last line is out (writes to a pipe are asynchronous).
  process.stdout.write(`${JSON.stringify({ type: "closed", reads: worker.reads, peakRssBytes: peakRss })}\n`, () =>
    process.exit(0),
  );
};
let peakRss = process.memoryUsage().rss;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100).unref();
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
say({ type: "ready", pid: process.pid });
