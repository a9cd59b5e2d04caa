// A real `redis-server` (Debian's package) for tests and benches: a free loopback port, a
// temporary directory, no persistence, stopped and removed afterwards. Plain JavaScript so the
// bench (.mjs) and the tests (.ts) share it.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const REDIS_INSTALL_HINT = "apt-get install -y redis-server";

/** Fails (never skips) when the binary is missing, naming the install command. */
export function assertRedisInstalled(binary = "redis-server") {
  const probe = spawnSync(binary, ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `${binary} was not found or does not run (${probe.error?.message ?? `exit ${probe.status}`}). ` +
        `These tests need a real Redis ≥ 6.2: ${REDIS_INSTALL_HINT}`,
    );
  }
  return probe.stdout.trim();
}

/** A port that was free a moment ago: bind port 0 on loopback, read it, close. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts redis on `port`; resolves once it accepts connections, rejects with its output otherwise. */
function launch(binary, port, dir) {
  const child = spawn(
    binary,
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--save",
      "",
      "--appendonly",
      "no",
      "--protected-mode",
      "yes",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      if (output.includes("Ready to accept connections")) {
        child.stdout.off("data", onData);
        child.off("exit", onExit);
        // Keep draining so a chatty server never blocks on a full pipe.
        child.stdout.resume();
        resolve(child);
      }
    };
    const onExit = (code) => reject(Object.assign(new Error(`redis-server exited (${code}): ${output}`), { output }));
    child.stdout.setEncoding("utf8").on("data", onData);
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      output += chunk;
    });
    child.once("error", reject);
    child.once("exit", onExit);
  });
}

/**
 * Starts a private redis-server on a free 127.0.0.1 port. Retries on a port taken in between.
 * @returns {Promise<{ url: string, port: number, version: string, close(): Promise<void> }>}
 */
export async function startRedis({ binary = "redis-server", attempts = 5 } = {}) {
  const version = assertRedisInstalled(binary);
  const dir = mkdtempSync(join(tmpdir(), "vr-redis-"));
  let lastError;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = await freePort();
    let child;
    try {
      child = await launch(binary, port, dir);
    } catch (error) {
      lastError = error;
      if (String(error.output ?? error.message).includes("Address already in use")) continue;
      break;
    }
    let closed;
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      version,
      close() {
        closed ??= new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) resolve();
          else {
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }
        }).then(() => rmSync(dir, { recursive: true, force: true }));
        return closed;
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError ?? new Error("redis-server did not start");
}
