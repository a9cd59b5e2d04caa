// The `batch --redis` coordinator as its own process (so a test can SIGKILL it): events and the
// final summary as JSON lines on stdout. Usage: node coordinator-process.mjs '<json options>'
import { createVideoRetalk } from "@videoretalk/core";
import { runQueuedBatch } from "../../dist/index.js";

const options = JSON.parse(process.argv[2] ?? "{}");
const say = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
const client = createVideoRetalk({ apiKey: "test-key", baseUrl: options.baseUrl, filesBaseUrl: options.baseUrl });
const summary = await runQueuedBatch(client, options.jobs, {
  redis: options.redis,
  queueName: options.queueName,
  outDir: options.outDir,
  allowPrivateNetwork: true,
  onEvent: say,
});
process.stdout.write(`${JSON.stringify({ type: "summary", summary })}\n`, () => process.exit(0));
