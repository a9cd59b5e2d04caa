#!/usr/bin/env node
// `pnpm bench` row for @videoretalk/preflight: makes a ~100 MB H.264 MP4 with ffmpeg in a temp
// folder (a faststart copy and a moov-at-the-end copy), then prints
//   - the time to inspect it in Node (first call, which loads the WASM, and a warm call) and the
//     bytes the parser read;
//   - the same in headless Chromium on a picked File (when /usr/bin/chromium or CHROMIUM_PATH exists);
//   - the browser bundle sizes: the app's share, the lazy parser chunk and the WASM (min + gzip).
// Figures only: it never fails the run (a missing ffmpeg or Chromium prints why and skips the row).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleForBrowser } from "../scripts/browser-bundle.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
const dir = mkdtempSync(join(tmpdir(), "preflight-bench-"));

function makeVideo() {
  const fast = join(dir, "100mb-faststart.mp4");
  const tail = join(dir, "100mb-moov-at-end.mp4");
  const made = spawnSync(
    "ffmpeg",
    [
      "-hide_banner",
      "-loglevel",
      "error",
      "-y",
      "-f",
      "lavfi",
      "-i",
      "testsrc2=size=1280x720:rate=25:duration=60",
      "-f",
      "lavfi",
      "-i",
      "sine=frequency=440:duration=60",
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-b:v",
      "13M",
      "-c:a",
      "aac",
      "-movflags",
      "+faststart",
      fast,
    ],
    { stdio: "inherit" },
  );
  if (made.error || made.status !== 0) throw new Error("ffmpeg failed or is missing (apt-get install -y ffmpeg)");
  spawnSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-i", fast, "-c", "copy", tail], {
    stdio: "inherit",
  });
  return { fast, tail };
}

async function nodeRows(files) {
  const { inspectMedia } = await import("../dist/index.node.js");
  for (const [label, path] of Object.entries(files)) {
    const size = statSync(path).size;
    const started = performance.now();
    const facts = await inspectMedia(path);
    const first = performance.now() - started;
    const again = performance.now();
    await inspectMedia(path);
    const warm = performance.now() - again;
    console.log(
      `preflight node   ${label.padEnd(12)} ${(size / 1e6).toFixed(1)} MB: first ${first.toFixed(0)} ms (loads WASM), warm ${warm.toFixed(0)} ms; ${facts.durationS.toFixed(2)} s ${facts.width}x${facts.height}`,
    );
  }
}

async function urlRow(path) {
  const { inspectMedia } = await import("../dist/index.node.js");
  const { readFileSync } = await import("node:fs");
  const bytes = readFileSync(path);
  let served = 0;
  const server = createServer((req, res) => {
    const [, start, end] = req.headers.range?.match(/bytes=(\d+)-(\d+)/) ?? [];
    const part = bytes.subarray(Number(start), Math.min(Number(end), bytes.length - 1) + 1);
    served += part.length;
    res.writeHead(206, { "Content-Range": `bytes ${start}-${Number(start) + part.length - 1}/${bytes.length}` });
    res.end(part);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const started = performance.now();
  await inspectMedia(`http://127.0.0.1:${server.address().port}/video.mp4`);
  const ms = performance.now() - started;
  server.close();
  console.log(
    `preflight url    moov at end  ${(bytes.length / 1e6).toFixed(1)} MB over Range: ${ms.toFixed(0)} ms, ${kb(served)} read`,
  );
}

async function chromiumRow(path, bundleDir) {
  if (!existsSync(CHROMIUM)) {
    console.log(`preflight chromium: skipped (no Chromium at ${CHROMIUM})`);
    return;
  }
  const { chromium } = await import("playwright-core");
  writeFileSync(
    join(bundleDir, "index.html"),
    `<input id="f" type="file"><script type="module">import { inspectMedia } from "/preflight.js";
     window.timed = async () => { const file = document.getElementById("f").files[0];
       let t = performance.now(); await inspectMedia(file, { wasmUrl: "/MediaInfoModule.wasm" }); const first = performance.now() - t;
       t = performance.now(); await inspectMedia(file, { wasmUrl: "/MediaInfoModule.wasm" }); return [first, performance.now() - t]; };
     window.ready = true;</script>`,
  );
  const { readFileSync } = await import("node:fs");
  const server = createServer((req, res) => {
    const name = req.url === "/" ? "index.html" : (req.url ?? "").slice(1);
    const file = join(bundleDir, name);
    if (!existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, {
      "Content-Type": name.endsWith(".wasm")
        ? "application/wasm"
        : name.endsWith(".js")
          ? "text/javascript"
          : "text/html",
    });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.ready === true);
    await page.setInputFiles("#f", path);
    const [first, warm] = await page.evaluate(() => window.timed());
    console.log(
      `preflight chromium faststart ${(statSync(path).size / 1e6).toFixed(1)} MB File: first ${first.toFixed(0)} ms (loads WASM), warm ${warm.toFixed(0)} ms`,
    );
  } finally {
    await browser.close();
    server.close();
  }
}

try {
  const bundleDir = join(dir, "bundle");
  mkdirSync(bundleDir);
  const sizes = await bundleForBrowser(bundleDir);
  console.log(
    `preflight bundle app share ${kb(sizes.entryBytes)} min / ${kb(sizes.entryGzip)} gz; lazy parser ${kb(sizes.lazyBytes)} min / ${kb(sizes.lazyGzip)} gz + WASM ${kb(sizes.wasmBytes)} / ${kb(sizes.wasmGzip)} gz`,
  );
  const files = makeVideo();
  await nodeRows({ faststart: files.fast, "moov at end": files.tail });
  await urlRow(files.tail);
  await chromiumRow(files.fast, bundleDir);
} catch (error) {
  console.log(`preflight bench skipped: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
