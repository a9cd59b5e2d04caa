#!/usr/bin/env node
// End-to-end test of the example app in real headless Chromium (Debian's `chromium`, driven by
// playwright-core; no @playwright/test). It starts server.mjs, which starts the emulator, with a
// distinctive API key, then drives the page like a user:
//   1. happy path: Start → progress while pending/processing → the result plays in <video>
//   2. reload with ?task=<id> resumes the finished task without creating another
//   3. Reset clears the page and the URL and stops polling a running task
//   4. a hidden tab reads nothing; coming back reads at once and shows the result
//   5. a failing task (emulator scenario content_policy_violation), submitted twice, is created
//      once and shows TaskFailedError with its code and request id
//   6. preflight: a 1.5 s clip picked as a file is refused in the page; nothing is uploaded
//   7. good files picked from disk are checked, uploaded through the proxy's upload route (upload
//      progress shown), used for the task, and the result plays
//   8. security: the key appears in no response the browser received, no browser request carries
//      Authorization, and the browser never calls the API directly
//   9. the webhook receiver got verified callbacks for the completed and the failed task
// Writes a vitest-style JSON report to .reports/e2e.json (read by tools/ci-summary.mjs) and
// screenshots to .reports/, prints `N passed, N failed`, exits 1 on any failure, and always
// stops the server, the emulator and the browser and removes the temporary profile.
// The browser comes from tools/find-chromium.mjs (CHROMIUM_PATH / CHROME_PATH, a system Chromium or
// Chrome, Playwright's cache); E2E_DEBUG=1 lists every response checked.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { findChromium, installCommand, systemDeps } from "../../../tools/find-chromium.mjs";

const appDir = resolve(fileURLToPath(new URL("..", import.meta.url)));
// @videoretalk/preflight's committed fixtures (packages/preflight/scripts/make-fixtures.sh).
const fixturesDir = resolve(appDir, "../../packages/preflight/fixtures");
const reportsDir = join(appDir, ".reports");
const chromiumDeps = systemDeps();
const CHROMIUM = findChromium(chromiumDeps)?.path;
// A key that cannot be confused with anything else the app sends.
const API_KEY = `sk-e2e-SECRET-${randomBytes(12).toString("hex")}`;
const SUITE = "example-react-app e2e";
const TOTAL_BUDGET_MS = 60_000;
const STEP_TIMEOUT_MS = 15_000;

/** @typedef {{ title: string, fullName: string, status: "passed" | "failed", duration: number, failureMessages: string[], ancestorTitles: string[] }} AssertionResult */

/** @type {AssertionResult[]} */
const results = [];
const startedAt = Date.now();

/** Runs one named check, recording it; never throws. */
async function check(/** @type {string} */ title, /** @type {() => Promise<void>} */ body) {
  const t0 = Date.now();
  try {
    await body();
    results.push(result(title, "passed", Date.now() - t0, []));
    console.log(`  ✓ ${title} (${Date.now() - t0} ms)`);
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    results.push(result(title, "failed", Date.now() - t0, [message]));
    console.log(`  ✗ ${title} (${Date.now() - t0} ms)\n    ${message.split("\n").join("\n    ")}`);
  }
}

/** @returns {AssertionResult} */
function result(
  /** @type {string} */ title,
  /** @type {"passed" | "failed"} */ status,
  /** @type {number} */ duration,
  /** @type {string[]} */ failureMessages,
) {
  return { ancestorTitles: [SUITE], title, fullName: `${SUITE} > ${title}`, status, duration, failureMessages };
}

/**
 * @param {unknown} condition
 * @param {string} message
 * @returns {asserts condition}
 */
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Builds dist/ when it is missing (turbo's test:browser already depends on build). */
function ensureBuilt() {
  if (existsSync(join(appDir, "dist", "index.html"))) return;
  console.log("dist/ missing: running vite build");
  const viteBin = join(
    createRequire(join(appDir, "package.json")).resolve("vite/package.json"),
    "..",
    "bin",
    "vite.js",
  );
  const built = spawnSync(process.execPath, [viteBin, "build"], { cwd: appDir, stdio: "inherit" });
  if (built.status !== 0) throw new Error("vite build failed");
}

/**
 * Starts server.mjs as a child process and waits for its URL. Its stdout lines are kept: the
 * `[upstream] POST /v1/videos/generations` lines count task creations, `[webhook]` lines count
 * deliveries.
 */
async function startAppServer() {
  const child = spawn(process.execPath, [join(appDir, "server.mjs")], {
    cwd: appDir,
    env: {
      ...process.env,
      EVOLINK_API_KEY: API_KEY,
      EVOLINK_BASE_URL: "",
      PORT: "0",
      HOST: "127.0.0.1",
      EMULATOR_SPEED: "20",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  /** @type {string[]} */
  const lines = [];
  let buffered = "";
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", (chunk) => {
    buffered += chunk;
    const parts = buffered.split("\n");
    buffered = parts.pop() ?? "";
    lines.push(...parts);
  });
  /** @type {string[]} */
  const stderr = [];
  child.stderr.on("data", (chunk) => stderr.push(chunk));
  const exited = new Promise((resolvePromise) => child.once("exit", resolvePromise));

  const deadline = Date.now() + 15_000;
  let url;
  let emulatorUrl;
  while (!url || !emulatorUrl) {
    url = lines.map((l) => l.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/)?.[1]).find(Boolean);
    emulatorUrl = lines.map((l) => l.match(/emulator .*: (http:\/\/127\.0\.0\.1:\d+)/)?.[1]).find(Boolean);
    if (child.exitCode !== null) throw new Error(`server.mjs exited with ${child.exitCode}: ${stderr.join("")}`);
    if (Date.now() > deadline) throw new Error(`server.mjs did not start within 15 s: ${lines.join("\n")}`);
    await sleep(50);
  }
  return {
    url,
    emulatorUrl,
    lines,
    stderr,
    creates: () => lines.filter((l) => l.startsWith("[upstream] POST /v1/videos/generations")).length,
    /** Uploads the proxy forwarded to the (emulated) Files API. */
    uploads: () => lines.filter((l) => l.startsWith("[upstream] POST /api/v1/files/upload")).length,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      let timer;
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise((r) => {
          timer = setTimeout(() => r(false), 5_000);
        }),
      ]);
      clearTimeout(timer);
      if (!stopped) {
        child.kill("SIGKILL");
        await exited;
      }
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until `predicate()` is true, polling; throws `message` after `timeoutMs`. */
async function waitUntil(
  /** @type {() => boolean} */ predicate,
  /** @type {string} */ message,
  timeoutMs = STEP_TIMEOUT_MS,
) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(message);
    await sleep(50);
  }
}

async function main() {
  ensureBuilt();
  mkdirSync(reportsDir, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), "example-react-app-e2e-"));
  /** @type {Awaited<ReturnType<typeof startAppServer>> | undefined} */
  let server;
  /** @type {import("playwright-core").BrowserContext | undefined} */
  let context;
  // Last resort: never hang CI. Kill what we started, then exit.
  const watchdog = setTimeout(() => {
    console.error(`e2e exceeded ${TOTAL_BUDGET_MS / 1000} s; aborting`);
    server?.kill();
    rmSync(profile, { recursive: true, force: true });
    results.push(result("finishes within the time budget", "failed", TOTAL_BUDGET_MS, ["watchdog fired"]));
    writeReport();
    process.exit(1);
  }, TOTAL_BUDGET_MS);
  watchdog.unref();

  try {
    server = await startAppServer();
    const app = server;
    console.log(`server ${app.url}, emulator ${app.emulatorUrl}`);

    if (!CHROMIUM) throw new Error(`No Chromium found; run \`${installCommand(chromiumDeps)}\` or set CHROMIUM_PATH.`);
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 900, height: 900 },
    });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);

    // Everything the browser sends and receives, for the security checks.
    /** @type {{ method: string, url: string, headers: Record<string, string> }[]} */
    const requests = [];
    /** @type {Promise<void>[]} */
    const pendingCaptures = [];
    /** @type {{ url: string, status: number, headers: string, body: Buffer | undefined, bodyError?: string, method: string, requestHeaders: Record<string, string> }[]} */
    const responses = [];
    context.on("request", (request) => {
      pendingCaptures.push(
        request.allHeaders().then((headers) => {
          requests.push({ method: request.method(), url: request.url(), headers });
        }),
      );
    });
    context.on("response", (response) => {
      pendingCaptures.push(
        (async () => {
          const headers = await response.headersArray().catch(() => []);
          const requestHeaders = await response
            .request()
            .allHeaders()
            .catch(() => ({}));
          const entry = {
            url: response.url(),
            status: response.status(),
            method: response.request().method(),
            headers: headers.map((h) => `${h.name}: ${h.value}`).join("\n"),
            body: /** @type {Buffer | undefined} */ (undefined),
            bodyError: /** @type {string | undefined} */ (undefined),
            requestHeaders,
          };
          try {
            entry.body = await response.body();
          } catch (error) {
            entry.bodyError = error instanceof Error ? error.message : String(error);
          }
          responses.push(entry);
        })(),
      );
    });

    const page = context.pages()[0] ?? (await context.newPage());
    /** @type {string[]} */
    const consoleErrors = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(String(error)));

    const videoInput = page.getByLabel("Video URL");
    const audioInput = page.getByLabel("Audio URL");
    const startButton = page.getByRole("button", { name: "Start" });
    const resetButton = page.getByRole("button", { name: "Reset" });
    const statusText = page.getByRole("status");
    const video = page.getByLabel("Lip-synced video");
    const alert = page.getByRole("alert");

    /** Records every status text and progress value the page shows, from before the click. */
    const recordProgress = () =>
      page.evaluate(() => {
        const w = /** @type {any} */ (window);
        w.__seen = [];
        const snap = () => {
          const status = document.querySelector(".status-value")?.textContent ?? "";
          const bar = document.querySelector("progress");
          const entry = `${status}:${bar ? bar.value : "-"}`;
          if (w.__seen.at(-1) !== entry) w.__seen.push(entry);
        };
        snap();
        new MutationObserver(snap).observe(document.body, {
          subtree: true,
          childList: true,
          characterData: true,
          attributes: true,
        });
      });
    const seenProgress = async () =>
      /** @type {string[]} */ (await page.evaluate(() => /** @type {any} */ (window).__seen));

    /** Waits for the <video> to have loaded at least its metadata (readyState >= 1). */
    const waitForPlayableVideo = async () => {
      await video.waitFor({ state: "visible" });
      await page.waitForFunction(
        () => {
          const element = document.querySelector("video");
          return element !== null && element.readyState >= 1 && element.duration > 0;
        },
        undefined,
        { timeout: STEP_TIMEOUT_MS },
      );
      const src = await video.getAttribute("src");
      assert(src, "the <video> has no src");
      const fetched = await fetch(src);
      const type = fetched.headers.get("content-type");
      await fetched.arrayBuffer();
      assert(fetched.status === 200 && type === "video/mp4", `GET ${src} answered ${fetched.status} ${type}`);
      return src;
    };

    /** Clicks Reset (enabled unless already idle) and waits for the idle page. */
    const resetToIdle = async () => {
      if (await resetButton.isEnabled()) await resetButton.click();
      await page.waitForFunction(() => document.querySelector(".status-value")?.textContent === "idle");
    };

    /** @type {string | undefined} */
    let happyTaskId;
    /** @type {string | undefined} */
    let failedTaskId;

    await check("happy path: Start → progress → the result plays in <video>, ?task= in the URL", async () => {
      await page.goto(app.url);
      // The inputs are prefilled from /config with the emulator's sample media.
      await page.waitForFunction(() => document.querySelector("input[name=video_url]") !== null);
      const videoUrl = await videoInput.inputValue();
      const audioUrl = await audioInput.inputValue();
      assert(videoUrl === `${app.emulatorUrl}/samples/speaker.mp4`, `unexpected video prefill ${videoUrl}`);
      assert(audioUrl === `${app.emulatorUrl}/samples/speech.wav`, `unexpected audio prefill ${audioUrl}`);
      assert((await statusText.textContent())?.includes("idle"), "status is not idle before Start");

      await recordProgress();
      const createsBefore = app.creates();
      await startButton.click();
      // A running task: the status says processing and the bar moved.
      await page.waitForFunction(() => {
        const status = document.querySelector(".status-value")?.textContent;
        const bar = document.querySelector("progress");
        return status === "processing" && bar !== null && bar.value > 0 && bar.value < 100;
      });
      const src = await waitForPlayableVideo();
      assert((await statusText.textContent())?.includes("completed (100%)"), "status is not completed (100%)");
      assert(
        (await page.getByRole("progressbar", { name: "Lip-sync progress" }).getAttribute("value")) === "100",
        "progress bar is not at 100",
      );

      const seen = await seenProgress();
      assert(
        seen.some((s) => s.startsWith("pending:") || s.startsWith("creating:")),
        `no early status seen: ${seen.join(" → ")}`,
      );
      assert(seen.includes("completed:100"), `completed:100 not seen: ${seen.join(" → ")}`);
      console.log(`    statuses seen: ${seen.join(" → ")}`);

      const taskId = new URL(page.url()).searchParams.get("task") ?? "";
      assert(taskId.startsWith("task-unified-"), `no ?task=<id> in ${page.url()}`);
      assert(src.endsWith(`/results/${taskId}.mp4`), `the video src ${src} is not the task's result`);
      happyTaskId = taskId;
      assert(app.creates() - createsBefore === 1, `expected 1 create, the server saw ${app.creates() - createsBefore}`);
      await page.screenshot({ path: join(reportsDir, "e2e-completed.png"), fullPage: true });
    });

    await check("reload with ?task=<id> shows the finished result again without a new create", async () => {
      assert(happyTaskId, "needs the happy path's task id");
      const createsBefore = app.creates();
      const requestsBefore = requests.length;
      await page.reload();
      await waitForPlayableVideo();
      assert((await statusText.textContent())?.includes("completed"), "status is not completed after reload");
      assert(new URL(page.url()).searchParams.get("task") === happyTaskId, `task id lost from the URL: ${page.url()}`);
      await Promise.all(pendingCaptures);
      const after = requests.slice(requestsBefore);
      assert(!after.some((r) => r.method === "POST"), "the reloaded page sent a POST");
      assert(
        after.some((r) => r.url === `${app.url}/api/videoretalk/v1/tasks/${happyTaskId}`),
        "the reloaded page did not read the task through the proxy",
      );
      assert(app.creates() === createsBefore, `the server saw ${app.creates() - createsBefore} new create(s)`);
    });

    await check("Reset clears the page and the URL, and stops polling a running task", async () => {
      await resetToIdle();
      assert(!new URL(page.url()).searchParams.has("task"), "Reset left ?task= in the URL");
      assert((await video.count()) === 0, "Reset left the video on the page");

      await startButton.click();
      await page.waitForFunction(() => document.querySelector(".status-value")?.textContent === "processing");
      const runningId = new URL(page.url()).searchParams.get("task");
      assert(runningId, "no ?task= while processing");
      await resetToIdle();
      const readsAfterReset = requests.length;
      // Longer than the 1 s maximum polling interval /config sets for the emulator.
      await sleep(1_500);
      await Promise.all(pendingCaptures);
      const reads = requests.slice(readsAfterReset).filter((r) => r.url.includes(`/v1/tasks/${runningId}`));
      assert(reads.length === 0, `${reads.length} read(s) of ${runningId} after Reset`);
      assert(!new URL(page.url()).searchParams.has("task"), "Reset left ?task= in the URL");
    });

    await check("a hidden tab reads nothing; coming back reads at once and shows the result", async () => {
      await resetToIdle();
      await startButton.click();
      await page.waitForFunction(() => document.querySelector(".status-value")?.textContent === "processing");
      const runningId = new URL(page.url()).searchParams.get("task");
      assert(runningId, "no ?task= while processing");
      /** Pretends the tab was hidden or shown again (what TanStack's focusManager listens to). */
      const setHidden = (/** @type {boolean} */ hidden) =>
        page.evaluate((value) => {
          Object.defineProperty(document, "visibilityState", {
            configurable: true,
            get: () => (value ? "hidden" : "visible"),
          });
          Object.defineProperty(document, "hidden", { configurable: true, get: () => value });
          document.dispatchEvent(new Event("visibilitychange"));
        }, hidden);
      await setHidden(true);
      const readsWhileHidden = requests.length;
      await sleep(1_500);
      await Promise.all(pendingCaptures);
      const hiddenReads = requests.slice(readsWhileHidden).filter((r) => r.url.includes(`/v1/tasks/${runningId}`));
      assert(hiddenReads.length === 0, `${hiddenReads.length} read(s) while the tab was hidden`);
      await setHidden(false);
      await waitForPlayableVideo();
      assert(new URL(page.url()).searchParams.get("task") === runningId, "the task id changed");
    });

    await check("failure: a content_policy_violation task shows TaskFailedError to the user", async () => {
      await resetToIdle();
      await videoInput.fill(`${app.emulatorUrl}/samples/speaker.mp4?scenario=fail:content_policy_violation`);
      const createsBefore = app.creates();
      // Two submissions before React re-renders (requestSubmit bypasses the disabled button):
      // the hook must start one task.
      await page.evaluate(() => {
        const form = document.querySelector("form");
        form?.requestSubmit();
        form?.requestSubmit();
      });
      await alert.waitFor({ state: "visible" });
      const text = (await alert.textContent()) ?? "";
      assert(text.includes("TaskFailedError"), `the alert does not name TaskFailedError: ${text}`);
      assert(text.includes("content_policy_violation"), `the alert does not show the code: ${text}`);
      const requestId = (await page.locator(".error-request-id").textContent()) ?? "";
      assert(/^[A-Za-z0-9]{8,}$/.test(requestId), `no request id shown (got "${requestId}")`);
      assert((await statusText.textContent())?.includes("failed"), "status is not failed");
      assert((await video.count()) === 0, "a failed task shows a video");
      failedTaskId = new URL(page.url()).searchParams.get("task") ?? undefined;
      assert(failedTaskId?.startsWith("task-unified-"), "the failed task's id is not in the URL");
      assert(app.creates() - createsBefore === 1, `expected 1 create, the server saw ${app.creates() - createsBefore}`);
      await page.screenshot({ path: join(reportsDir, "e2e-failed.png"), fullPage: true });
    });

    const videoFileInput = page.locator("input[name=video_file]");
    const audioFileInput = page.locator("input[name=audio_file]");
    const uploadUrl = `${app.url}/api/videoretalk/v1/files/upload`;
    const browserUploads = () => requests.filter((r) => r.method === "POST" && r.url === uploadUrl).length;

    await check("preflight: a too-short clip is refused in the page and nothing is uploaded", async () => {
      await resetToIdle();
      const uploadsBefore = app.uploads();
      await Promise.all(pendingCaptures);
      const browserUploadsBefore = browserUploads();
      await videoFileInput.setInputFiles(join(fixturesDir, "too-short.mp4"));
      const refusal = page.locator('[data-input=video] .problem-refuse[data-code="video.duration.min"]');
      await refusal.waitFor({ state: "visible" });
      const text = (await refusal.textContent()) ?? "";
      assert(/1\.5/.test(text) && text.includes("2"), `the refusal does not give the length and the limit: ${text}`);
      assert(await startButton.isDisabled(), "Start is enabled for a refused file");
      // Submitting anyway (requestSubmit ignores the disabled button) must not upload or create.
      const createsBefore = app.creates();
      await page.evaluate(() => document.querySelector("form")?.requestSubmit());
      assert((await page.locator(".upload").count()) === 0, "the page shows upload progress for a refused file");
      assert((await statusText.textContent())?.includes("idle"), "a task was started for a refused file");
      await Promise.all(pendingCaptures);
      assert(browserUploads() === browserUploadsBefore, "the browser sent the refused file to the upload route");
      assert(app.uploads() === uploadsBefore, "the server forwarded an upload of the refused file");
      assert(app.creates() === createsBefore, "a task was created for a refused file");
      await page.screenshot({ path: join(reportsDir, "e2e-refused.png"), fullPage: true });
    });

    await check(
      "upload: good files are checked, uploaded with progress through the proxy, dubbed and played",
      async () => {
        await resetToIdle();
        await page.waitForFunction(() => document.querySelector("[data-input=video] .problem") === null);
        const uploadsBefore = app.uploads();
        const createsBefore = app.creates();
        await Promise.all(pendingCaptures);
        const browserUploadsBefore = browserUploads();
        // Every value the upload bar shows, from before the click.
        await page.evaluate(() => {
          const w = /** @type {any} */ (window);
          w.__uploads = [];
          new MutationObserver(() => {
            const bar = /** @type {HTMLProgressElement | null} */ (
              document.querySelector('progress[aria-label="Upload progress"]')
            );
            const entry = bar ? `${bar.value}/${bar.max}` : undefined;
            if (entry && w.__uploads.at(-1) !== entry) w.__uploads.push(entry);
          }).observe(document.body, { subtree: true, childList: true, attributes: true });
        });
        await videoFileInput.setInputFiles(join(fixturesDir, "ok-h264.mp4"));
        await audioFileInput.setInputFiles(join(fixturesDir, "speech.wav"));
        await page.locator("[data-input=video] .check-ok").waitFor({ state: "visible" });
        await page.locator("[data-input=audio] .check-ok").waitFor({ state: "visible" });
        await startButton.click();
        const src = await waitForPlayableVideo();
        assert((await statusText.textContent())?.includes("completed (100%)"), "status is not completed (100%)");

        const totalBytes = (await Promise.all(["ok-h264.mp4", "speech.wav"].map((f) => readFile(join(fixturesDir, f)))))
          .map((b) => b.length)
          .reduce((a, b) => a + b, 0);
        const seen = /** @type {string[]} */ (await page.evaluate(() => /** @type {any} */ (window).__uploads));
        console.log(`    upload progress seen: ${seen.join(" → ")}`);
        assert(seen.length >= 2, `upload progress was not shown: ${seen.join(" → ")}`);
        assert(
          seen.at(-1) === `${totalBytes}/${totalBytes}`,
          `upload did not reach ${totalBytes} bytes: ${seen.join(" → ")}`,
        );

        await Promise.all(pendingCaptures);
        assert(
          browserUploads() - browserUploadsBefore === 2,
          "the browser did not upload both files through the proxy",
        );
        assert(
          app.uploads() - uploadsBefore === 2,
          `expected 2 uploads, the server forwarded ${app.uploads() - uploadsBefore}`,
        );
        assert(
          app.creates() - createsBefore === 1,
          `expected 1 create, the server saw ${app.creates() - createsBefore}`,
        );
        const taskId = new URL(page.url()).searchParams.get("task") ?? "";
        assert(src.endsWith(`/results/${taskId}.mp4`), `the video src ${src} is not the task's result`);
        // The task was made from the uploaded file, not from a sample URL.
        const stats = /** @type {{ tasks: { id: string, videoUrl: string }[] }} */ (
          await (await fetch(`${app.emulatorUrl}/__emulator/stats`)).json()
        );
        const task = stats.tasks.find((t) => t.id === taskId);
        assert(
          task?.videoUrl.startsWith(`${app.emulatorUrl}/files/`),
          `the task's video_url is not an uploaded file: ${task?.videoUrl}`,
        );
        await page.screenshot({ path: join(reportsDir, "e2e-uploaded.png"), fullPage: true });
      },
    );

    await check("security: the API key never reaches the browser, which sends no Authorization", async () => {
      await Promise.all(pendingCaptures);
      assert(responses.length >= 10, `only ${responses.length} responses captured`);
      assert(
        responses.some((r) => r.url.startsWith(`${app.url}/api/videoretalk/`) && r.body !== undefined),
        "no proxy response body was captured",
      );
      let bodiesChecked = 0;
      if (process.env.E2E_DEBUG) for (const r of responses) console.log("    ", r.method, r.status, r.url);
      for (const response of responses) {
        assert(!response.headers.includes(API_KEY), `the key is in the headers of ${response.url}`);
        let body = response.body;
        if (body === undefined && response.method === "GET") {
          // Chromium drops some bodies (media, pages left by a reload): fetch the same thing again.
          const headers = Object.fromEntries(
            Object.entries(response.requestHeaders).filter(([name]) => !name.startsWith(":")),
          );
          body = Buffer.from(await (await fetch(response.url, { headers })).arrayBuffer());
        }
        if (body !== undefined) {
          bodiesChecked += 1;
          assert(!body.includes(API_KEY), `the key is in the body of ${response.url}`);
          assert(!body.includes(Buffer.from(API_KEY).toString("base64")), `the key (base64) is in ${response.url}`);
        }
      }
      for (const request of requests) {
        assert(!("authorization" in request.headers), `${request.method} ${request.url} carries Authorization`);
        assert(!Object.values(request.headers).some((v) => v.includes(API_KEY)), `${request.url} carries the key`);
        assert(
          !request.url.startsWith(`${app.emulatorUrl}/v1/`),
          `the browser called the API directly: ${request.method} ${request.url}`,
        );
      }
      const pageState = await page.evaluate(() => ({
        html: document.documentElement.outerHTML,
        storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
        cookies: document.cookie,
      }));
      assert(!Object.values(pageState).some((v) => v.includes(API_KEY)), "the key is in the page's DOM or storage");
      // The proxy refuses what the page would never send: another site's request, other paths.
      const crossSite = await fetch(`${app.url}/api/videoretalk/v1/tasks/${happyTaskId}`, {
        headers: { "sec-fetch-site": "cross-site" },
      });
      const crossSiteBody = await crossSite.text();
      assert(crossSite.status === 403, `a cross-site read answered ${crossSite.status}`);
      const otherPath = await fetch(`${app.url}/api/videoretalk/api/v1/files/quota`);
      const otherPathBody = await otherPath.text();
      assert(otherPath.status === 404, `a Files API path through the proxy answered ${otherPath.status}`);
      assert(!`${crossSiteBody}${otherPathBody}`.includes(API_KEY), "a refusal contains the key");
      console.log(
        `    ${responses.length} responses (${bodiesChecked} bodies) and ${requests.length} requests checked`,
      );
      assert(consoleErrors.length === 0, `the page logged errors: ${consoleErrors.join(" | ")}`);
    });

    await check("webhook: verified callbacks reached the server for both finished tasks", async () => {
      assert(happyTaskId && failedTaskId, "needs both task ids");
      await waitUntil(
        () =>
          app.lines.some((l) => l.startsWith(`[webhook] task ${happyTaskId} completed`)) &&
          app.lines.some((l) => l === `[webhook] task ${failedTaskId} failed content_policy_violation`),
        `webhook deliveries missing; server log:\n${app.lines.join("\n")}`,
        5_000,
      );
      assert(!app.lines.some((l) => l.includes(API_KEY)), "the server logged the key");
    });
  } catch (error) {
    // Setup failed (server or browser would not start): report it as a failed test.
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    results.push(result("setup: server, emulator and Chromium start", "failed", Date.now() - startedAt, [message]));
    console.log(`  ✗ setup failed\n    ${message}`);
  } finally {
    await context?.close().catch(() => {});
    await server?.stop().catch(() => server?.kill());
    rmSync(profile, { recursive: true, force: true });
    clearTimeout(watchdog);
  }
  writeReport();
}

function writeReport() {
  const numPassedTests = results.filter((r) => r.status === "passed").length;
  const numFailedTests = results.length - numPassedTests;
  const endTime = Date.now();
  const report = {
    numTotalTestSuites: 1,
    numPassedTestSuites: numFailedTests === 0 ? 1 : 0,
    numFailedTestSuites: numFailedTests === 0 ? 0 : 1,
    numPendingTestSuites: 0,
    numTotalTests: results.length,
    numPassedTests,
    numFailedTests,
    numPendingTests: 0,
    numTodoTests: 0,
    startTime: startedAt,
    success: numFailedTests === 0,
    testResults: [
      {
        name: fileURLToPath(import.meta.url),
        status: numFailedTests === 0 ? "passed" : "failed",
        startTime: startedAt,
        endTime,
        message: "",
        assertionResults: results,
      },
    ],
  };
  mkdirSync(reportsDir, { recursive: true });
  writeFileSync(join(reportsDir, "e2e.json"), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\ne2e took ${((endTime - startedAt) / 1000).toFixed(1)} s; report: .reports/e2e.json`);
  console.log(`${numPassedTests} passed, ${numFailedTests} failed`);
  process.exitCode = numFailedTests === 0 ? 0 : 1;
}

await main();
