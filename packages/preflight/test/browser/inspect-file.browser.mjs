#!/usr/bin/env node
// Chromium test (`pnpm --filter @videoretalk/preflight test:browser`): the browser build, bundled
// as an app would bundle it (scripts/browser-bundle.mjs), runs in Debian's headless Chromium
// (driven by playwright-core) on a page served from 127.0.0.1. It checks that
//   1. loading the page fetches neither the parser chunk nor the WASM (lazy loading);
//   2. a File picked in an <input type=file> is inspected in the page: MP4 facts match ffprobe's
//      figures for the fixture, with no server involved beyond static files;
//   3. checkLipSyncInputs on picked Files refuses a too-short clip and a text file named .mp4;
//   4. the page never requested the media files themselves (Files are read locally).
// Writes a vitest-style report to .reports/browser.json, prints `N passed, N failed`, exits 1 on
// a failure. CHROMIUM_PATH overrides /usr/bin/chromium.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { bundleForBrowser } from "../../scripts/browser-bundle.mjs";

const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const fixtures = join(packageDir, "fixtures");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SUITE = "@videoretalk/preflight in Chromium";
const results = [];

async function check(title, body) {
  const started = Date.now();
  try {
    await body();
    results.push({ title, status: "passed", duration: Date.now() - started, failureMessages: [] });
    console.log(`  ✓ ${title}`);
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    results.push({ title, status: "failed", duration: Date.now() - started, failureMessages: [message] });
    console.log(`  ✗ ${title}\n    ${message.split("\n").join("\n    ")}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>preflight</title>
<input id="video" type="file"><input id="audio" type="file">
<script type="module">
  import { inspectMedia, checkLipSyncInputs } from "/preflight.js";
  const options = { wasmUrl: "/MediaInfoModule.wasm" };
  window.inspectPicked = (id) => inspectMedia(document.getElementById(id).files[0], options);
  window.checkPicked = () => checkLipSyncInputs(
    { video: document.getElementById("video").files[0], audio: document.getElementById("audio").files[0] }, options);
  window.ready = true;
</script>`;

const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };

function serve(dir) {
  const requested = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    requested.push(path);
    const file = join(dir, path === "/" ? "index.html" : path.slice(1));
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, requested, url: `http://127.0.0.1:${server.address().port}` }),
    );
  });
}

async function main() {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  const dir = mkdtempSync(join(tmpdir(), "preflight-browser-"));
  let browser;
  let site;
  try {
    await bundleForBrowser(dir);
    writeFileSync(join(dir, "index.html"), PAGE);
    site = await serve(dir);
    browser = await chromium.launch({
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
    const page = await browser.newPage();
    await page.goto(site.url);
    await page.waitForFunction(() => window.ready === true, undefined, { timeout: 15_000 });

    await check("loading the page fetches neither the parser nor its WASM", async () => {
      const loaded = [...site.requested];
      assert(loaded.includes("/preflight.js"), `expected /preflight.js in ${loaded.join(", ")}`);
      assert(!loaded.some((path) => path.endsWith(".wasm")), `WASM loaded eagerly: ${loaded.join(", ")}`);
      const scripts = loaded.filter((path) => path.endsWith(".js"));
      assert(scripts.length === 1, `expected only the entry script, got ${scripts.join(", ")}`);
    });

    await check("inspects a picked File (H.264 MP4) in the page", async () => {
      await page.setInputFiles("#video", join(fixtures, "ok.mov"));
      const facts = await page.evaluate(() => window.inspectPicked("video"));
      const expected = {
        kind: "video",
        container: "mov",
        width: 1280,
        height: 720,
        fps: 25,
        videoCodec: "h264",
        audioCodec: "aac",
      };
      for (const [key, value] of Object.entries(expected)) {
        assert(facts[key] === value, `${key}: expected ${value}, got ${JSON.stringify(facts)}`);
      }
      assert(Math.abs(facts.durationS - 3) <= 0.05, `durationS ${facts.durationS}`);
      assert(facts.sizeBytes === readFileSync(join(fixtures, "ok.mov")).length, `sizeBytes ${facts.sizeBytes}`);
    });

    await check("refuses a too-short clip and bills the shorter length", async () => {
      await page.setInputFiles("#video", join(fixtures, "too-short.mp4"));
      await page.setInputFiles("#audio", join(fixtures, "speech.mp3"));
      const result = await page.evaluate(() => window.checkPicked());
      assert(result.ok === false && result.refused === true, JSON.stringify(result));
      const codes = result.problems.map((problem) => problem.code);
      assert(JSON.stringify(codes) === '["video.duration.min"]', `codes ${codes}`);
      assert(Math.abs(result.billableSeconds - 1.52) < 0.01, `billable ${result.billableSeconds}`);
    });

    await check("reports a text file named .mp4 as not media", async () => {
      await page.setInputFiles("#video", join(fixtures, "not-media.mp4"));
      const result = await page.evaluate(() => window.checkPicked());
      assert(result.problems[0]?.code === "not_media", JSON.stringify(result.problems));
    });

    await check("read the Files locally: no media file was requested from the server", async () => {
      const media = site.requested.filter((path) => /\.(mp4|mov|mp3|wav)$/.test(path));
      assert(media.length === 0, `requested ${media.join(", ")}`);
      assert(site.requested.includes("/MediaInfoModule.wasm"), "the WASM was never loaded");
    });
  } finally {
    await browser?.close();
    site?.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  results.push({ title: "setup", status: "failed", duration: 0, failureMessages: [String(error?.stack ?? error)] });
  console.log(`  ✗ setup\n    ${String(error?.stack ?? error)}`);
}
const numPassedTests = results.filter((result) => result.status === "passed").length;
const numFailedTests = results.length - numPassedTests;
mkdirSync(join(packageDir, ".reports"), { recursive: true });
writeFileSync(
  join(packageDir, ".reports", "browser.json"),
  `${JSON.stringify(
    {
      numTotalTests: results.length,
      numPassedTests,
      numFailedTests,
      success: numFailedTests === 0,
      testResults: [
        {
          name: "test/browser/inspect-file.browser.mjs",
          status: numFailedTests === 0 ? "passed" : "failed",
          assertionResults: results.map((result) => ({
            ...result,
            ancestorTitles: [SUITE],
            fullName: `${SUITE} > ${result.title}`,
          })),
        },
      ],
    },
    null,
    2,
  )}\n`,
);
console.log(`${numPassedTests} passed, ${numFailedTests} failed`);
process.exitCode = numFailedTests === 0 ? 0 : 1;
