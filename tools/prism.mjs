// Starts Prism on a free 127.0.0.1 port from spec/videoretalk.openapi.yaml and stops it again.
// Used by vitest globalSetup files and by the offline demo; never talks to the network.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const specPath = resolve(repoRoot, "spec/videoretalk.openapi.yaml");
const prismBin = resolve(repoRoot, "node_modules/.bin/prism");

/** A free TCP port on 127.0.0.1 (the OS picks it; it is released before returning). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function launch(args, port, timeoutMs) {
  return new Promise((resolveStart, reject) => {
    const child = spawn(prismBin, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`Prism did not start within ${timeoutMs} ms:\n${output.slice(-2000)}`));
    }, timeoutMs);
    const onData = (chunk) => {
      output += chunk.toString();
      if (output.includes("Prism is listening")) {
        clearTimeout(timer);
        child.stdout.off("data", onData);
        child.stderr.off("data", onData);
        // Keep draining the pipes so Prism never blocks on a full buffer.
        child.stdout.resume();
        child.stderr.resume();
        resolveStart({
          url: `http://127.0.0.1:${port}`,
          stop: () => stop(child),
        });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited with code ${code} before listening:\n${output.slice(-2000)}`));
    });
  });
}

function stop(child) {
  return new Promise((resolveStop) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
    const kill = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolveStop();
    });
    child.kill("SIGTERM");
  });
}

/** `prism mock --errors`: serves the spec's examples and validates requests and responses. */
export async function startPrismMock({ timeoutMs = 30_000 } = {}) {
  const port = await freePort();
  return launch(["mock", "-h", "127.0.0.1", "-p", String(port), "--errors", specPath], port, timeoutMs);
}

/** `prism proxy --errors`: forwards valid requests to `upstream` and checks its answers against the spec. */
export async function startPrismProxy(upstream, { timeoutMs = 30_000 } = {}) {
  const port = await freePort();
  return launch(["proxy", "-h", "127.0.0.1", "-p", String(port), "--errors", specPath, upstream], port, timeoutMs);
}
