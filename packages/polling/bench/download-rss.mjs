// Measures memory while downloadResult() saves a large result to disk: RSS must stay flat
// whatever the size (issue 3, "Inputs and outputs").
//
//   cd packages/polling && npx tsdown && node bench/download-rss.mjs
//   BENCH_DOWNLOAD_MB=256 node bench/download-rss.mjs
//
// The body is served by a child process (so its socket buffers do not count towards our RSS)
// from one reusable 1 MiB pattern buffer, never allocating the whole body. The downloading
// process samples process.memoryUsage() every 50 ms.
import { fork } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MiB = 1024 * 1024;

if (process.argv[2] === "--serve") {
  const size = Number(process.argv[3]);
  const pattern = Buffer.alloc(MiB);
  for (let i = 0; i < pattern.length; i++) pattern[i] = (i * 31 + 7) & 0xff;
  const server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "video/mp4", "Content-Length": String(size) });
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const piece = Math.min(pattern.length, size - sent);
        sent += piece;
        if (!res.write(piece === pattern.length ? pattern : pattern.subarray(0, piece))) {
          res.once("drain", pump);
          return;
        }
      }
      res.end();
    };
    pump();
  });
  server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
  process.on("disconnect", () => process.exit(0));
} else {
  await main();
}

async function main() {
  const sizeMb = Number(process.env.BENCH_DOWNLOAD_MB ?? 1024);
  if (!Number.isFinite(sizeMb) || sizeMb <= 0) throw new Error(`BENCH_DOWNLOAD_MB must be a positive number`);
  const size = Math.round(sizeMb * MiB);

  let downloadResult;
  try {
    ({ downloadResult } = await import("../dist/index.node.js"));
  } catch {
    console.error("dist/index.node.js not found: build first with `npx tsdown` in packages/polling.");
    process.exit(1);
  }

  const child = fork(fileURLToPath(import.meta.url), ["--serve", String(size)], { stdio: "inherit" });
  const { port } = await new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("error", reject);
  });
  const url = `http://127.0.0.1:${port}/results/bench.mp4`;
  const dir = await mkdtemp(join(tmpdir(), "vr-download-bench-"));
  const target = join(dir, "result.mp4");

  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakArrayBuffers = baseline.arrayBuffers;
  let samples = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    samples += 1;
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.arrayBuffers > peakArrayBuffers) peakArrayBuffers = m.arrayBuffers;
  }, 50);

  const started = performance.now();
  let progressCalls = 0;
  // RSS when 25/50/75/100 % of the body has arrived: a flat line means memory does not grow with size.
  const checkpoints = [];
  try {
    const result = await downloadResult(url, target, {
      // The bench server is on loopback http, which downloads refuse by default.
      allowPrivateNetwork: true,
      onProgress: ({ receivedBytes }) => {
        progressCalls += 1;
        if (receivedBytes >= ((checkpoints.length + 1) / 4) * size) {
          const { rss } = process.memoryUsage();
          checkpoints.push(rss);
          if (rss > peakRss) peakRss = rss;
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const onDisk = (await stat(target)).size;
    if (onDisk !== size || result.bytes !== size) throw new Error(`size mismatch: ${onDisk} on disk, expected ${size}`);

    const mb = (n) => `${(n / MiB).toFixed(1)} MB`;
    console.log(`downloadResult → file, ${mb(size)} from a local server (Node ${process.version})`);
    console.log(`  time          ${seconds.toFixed(2)} s  (${(size / MiB / seconds).toFixed(0)} MB/s)`);
    console.log(`  baseline RSS  ${mb(baseline.rss)}`);
    console.log(`  peak RSS      ${mb(peakRss)}`);
    console.log(
      `  RSS delta     ${mb(peakRss - baseline.rss)}  (${(((peakRss - baseline.rss) / size) * 100).toFixed(2)} % of the body)`,
    );
    console.log(`  RSS at 25/50/75/100 %  ${checkpoints.map((n) => mb(n)).join(" / ")}`);
    console.log(`  arrayBuffers  baseline ${mb(baseline.arrayBuffers)}, peak ${mb(peakArrayBuffers)}`);
    console.log(`  samples       ${samples} every 50 ms; ${progressCalls} progress callbacks`);
  } finally {
    clearInterval(sampler);
    child.disconnect();
    child.kill();
    await rm(dir, { recursive: true, force: true });
  }
}
