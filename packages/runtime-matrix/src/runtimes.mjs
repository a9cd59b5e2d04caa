// The runtimes of the matrix. Each `run(config)` returns the suite's results on that runtime, or
// throws (missing binary, crash, hang), which the runner turns into a failed row.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bunBinary, denoBinary, nodeBinary } from "./binaries.mjs";
import { bundleSuite } from "./bundle.mjs";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const suiteDir = join(packageDir, "suite");
const RESULT_MARKER = "MATRIX_RESULTS ";
/** Hang guard for one runtime's whole suite; a normal run takes a few seconds. */
const RUNTIME_TIMEOUT_MS = 90_000;

/** Runs the CLI entry in a child process and reads the results line it prints. */
function runCli(command, args, env = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: packageDir,
      env: { ...process.env, NO_COLOR: "1", DO_NOT_TRACK: "1", DENO_NO_UPDATE_CHECK: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), RUNTIME_TIMEOUT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split("\n").find((l) => l.startsWith(RESULT_MARKER));
      if (line) resolvePromise(JSON.parse(line.slice(RESULT_MARKER.length)));
      else reject(new Error(`exited ${code ?? signal} without results:\n${stderr.trim() || stdout.trim()}`));
    });
  });
}

const cliEntry = join(suiteDir, "entry-cli.mjs");

/** A runtime started from a binary located by `locate()`. */
function cliRuntime(id, locate, argsFor) {
  return {
    id,
    fileSystem: true,
    async run(config) {
      const binary = locate();
      if (binary.error) throw new Error(binary.error);
      return runCli(binary.path, argsFor(JSON.stringify(config)));
    },
  };
}

/** The Node running this script (the machine's), as `node<major>`. */
const hostNode = {
  id: `node${process.versions.node.split(".")[0]}`,
  fileSystem: true,
  run: (config) => runCli(process.execPath, [cliEntry, JSON.stringify(config)]),
};

/** Workerd through miniflare: the suite is bundled into a module Worker and run by one request. */
const workerd = {
  id: "workerd",
  fileSystem: false,
  async run(config) {
    let Miniflare;
    try {
      ({ Miniflare } = await import("miniflare"));
    } catch (error) {
      throw new Error(`miniflare is not installed (${error.code}); run \`pnpm install --frozen-lockfile\``);
    }
    const script = await bundleSuite(join(suiteDir, "entry-worker.mjs"), "worker");
    const mf = new Miniflare({ modules: true, script, compatibilityDate: "2025-09-01" });
    try {
      const response = await mf.dispatchFetch("http://matrix.local/run", {
        method: "POST",
        body: JSON.stringify({ ...config, worker: true }),
      });
      if (!response.ok) throw new Error(`the Worker answered ${response.status}: ${await response.text()}`);
      return await response.json();
    } finally {
      await mf.dispose();
    }
  },
};

/** Headless Chromium through playwright-core, at the path the locator found. */
function chromiumRuntime(locateChromium, pageServer) {
  return {
    id: "chromium",
    fileSystem: false,
    async run(config) {
      const found = locateChromium();
      if (found.error) throw new Error(found.error);
      const { chromium } = await import("playwright-core");
      const pageUrl = pageServer.serve(await bundleSuite(join(suiteDir, "entry-browser.mjs"), "browser"));
      const browser = await chromium.launch({ executablePath: found.path, headless: true, args: ["--no-sandbox"] });
      try {
        const tab = await browser.newPage();
        await tab.goto(pageUrl);
        await tab.waitForFunction(() => typeof globalThis.__runMatrix === "function");
        return await tab.evaluate((c) => globalThis.__runMatrix(c), { ...config, browser: true });
      } finally {
        await browser.close();
      }
    },
  };
}

/** Every runtime of the matrix, in the order rows are printed. */
export function runtimes({ locateChromium, pageServer }) {
  return [
    hostNode,
    cliRuntime(
      "node22",
      () => nodeBinary("node22"),
      (json) => [cliEntry, json],
    ),
    cliRuntime(
      "node24",
      () => nodeBinary("node24"),
      (json) => [cliEntry, json],
    ),
    cliRuntime("bun", bunBinary, (json) => [cliEntry, json]),
    cliRuntime("deno", denoBinary, (json) => [
      "run",
      "--allow-all",
      "--no-prompt",
      "--no-lock",
      "--node-modules-dir=manual",
      cliEntry,
      json,
    ]),
    workerd,
    chromiumRuntime(locateChromium, pageServer),
  ];
}
