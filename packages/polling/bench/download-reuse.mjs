// Sequential small downloads: how many per second, and how many TCP connections they opened.
// "fresh connection" has the server answer `Connection: close`, so every download connects
// again (what each download cost before agents were shared); "kept alive" is the default.
// On loopback a connect costs little; to a CDN over TLS it costs round trips. Prints figures;
// never fails on a number.
//
//   cd packages/polling && npx tsdown && node bench/download-reuse.mjs
//   BENCH_REUSE_DOWNLOADS=1000 node bench/download-reuse.mjs
import { createServer } from "node:http";

const downloads = Number(process.env.BENCH_REUSE_DOWNLOADS ?? 200);
const body = Buffer.alloc(16 * 1024, 7);

let downloadResult;
try {
  ({ downloadResult } = await import("../dist/index.node.js"));
} catch (error) {
  console.error(`Could not load dist/index.node.js (${error.message}): build first with \`npx tsdown\`.`);
  process.exit(1);
}

let closeEach = false;
let connections = 0;
const server = createServer((_req, res) => {
  const headers = { "Content-Type": "video/mp4", "Content-Length": String(body.length) };
  res.writeHead(200, closeEach ? { ...headers, Connection: "close" } : headers);
  res.end(body);
});
server.on("connection", () => connections++);
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${server.address().port}/small.mp4`;

/** A WritableStream that drops the bytes: this measures the network side, not the disk. */
function discard() {
  return new WritableStream({ write() {} });
}

async function run(label, freshConnection) {
  closeEach = freshConnection;
  connections = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < downloads; i++) {
    await downloadResult(url, discard(), { allowPrivateNetwork: true });
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  // CPU time (client and server, one process) varies less than wall time on a busy machine.
  const cpuMs = ((cpu.user + cpu.system) / 1000 / downloads).toFixed(2);
  const rate = (downloads / seconds).toFixed(0);
  console.log(
    `  ${label.padEnd(18)} ${rate.padStart(6)} downloads/s   ${cpuMs.padStart(6)} ms CPU/download   ${String(connections).padStart(4)} connections`,
  );
}

try {
  console.log(`${downloads} sequential 16 KiB downloads from 127.0.0.1 (Node ${process.version})`);
  await run("warm-up", false);
  await run("fresh connection", true);
  await run("kept alive", false);
} finally {
  server.closeAllConnections?.();
  server.close();
}
