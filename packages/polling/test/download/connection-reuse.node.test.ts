import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "tsdown";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { pooledAgent } from "../../src/download/agent-pool.node.js";
import { downloadResult } from "../../src/download/download-result.node.js";
import type { HostLookup } from "../../src/download/options.js";
import { DownloadTargetRefusedError } from "../../src/errors.js";
import { makePayload, type ResultServer, serveBytes, startResultServer } from "./result-server.js";

const PAYLOAD = makePayload(64 * 1024 + 17);
const packageRoot = fileURLToPath(new URL("../..", import.meta.url));

let dir: string;
let server: ResultServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vr-download-reuse-"));
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** A lookup that answers `address` for every name, recording what it was asked. */
function fixedLookup(address: string): HostLookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup = async (hostname: string) => {
    asked.push(hostname);
    return [{ address, family: address.includes(":") ? (6 as const) : (4 as const) }];
  };
  return Object.assign(lookup, { asked });
}

async function refusalOf(promise: Promise<unknown>): Promise<DownloadTargetRefusedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DownloadTargetRefusedError);
  return error as DownloadTargetRefusedError;
}

describe("downloadResult connection reuse (node build)", () => {
  it("five sequential downloads with the default lookup share one kept-alive connection", async () => {
    server = await startResultServer(serveBytes(PAYLOAD));
    for (let i = 0; i < 5; i++) {
      const target = join(dir, `r${i}.mp4`);
      const result = await downloadResult(server.url, target, { allowPrivateNetwork: true });
      expect(result.bytes).toBe(PAYLOAD.length);
      expect((await readFile(target)).equals(PAYLOAD)).toBe(true);
    }
    expect(server.requests).toHaveLength(5);
    // One connection is expected; a second is tolerated (a keep-alive race), five is the old bug.
    expect(server.connectionCount()).toBeLessThanOrEqual(2);
  });

  it("with a caller's lookup: shares connections, and checks each new one with that lookup", async () => {
    server = await startResultServer(serveBytes(PAYLOAD));
    const port = new URL(server.url).port;
    const lookup = fixedLookup("127.0.0.1");
    for (let i = 0; i < 5; i++) {
      await downloadResult(`http://results.internal.test:${port}/r.mp4`, join(dir, `r${i}.mp4`), {
        allowPrivateNetwork: true,
        lookup,
      });
    }
    expect(server.requests).toHaveLength(5);
    expect(server.connectionCount()).toBeLessThanOrEqual(2);
    // The lookup runs once per connection opened, never skipped for a new one.
    expect(lookup.asked).toHaveLength(server.connectionCount());
  });

  it("one agent per (lookup, allowPrivateNetwork): the two policies never share one", async () => {
    const lookup = fixedLookup("127.0.0.1");
    const open = await pooledAgent(lookup, true);
    const guarded = await pooledAgent(lookup, false);
    expect(guarded.agent).not.toBe(open.agent);
    expect(await pooledAgent(lookup, true)).toBe(open);
    expect(await pooledAgent(lookup, false)).toBe(guarded);
    // Another lookup function may resolve differently, so it never reuses these connections.
    const other = fixedLookup("127.0.0.1");
    expect((await pooledAgent(other, false)).agent).not.toBe(guarded.agent);
    // Concurrent first calls agree on one agent.
    const fresh = fixedLookup("127.0.0.1");
    const [a, b] = await Promise.all([pooledAgent(fresh, false), pooledAgent(fresh, false)]);
    expect(a).toBe(b);
  });

  it("after a private-network download, the same lookup without allowPrivateNetwork is still refused", async () => {
    server = await startResultServer(serveBytes(PAYLOAD));
    const port = new URL(server.url).port;
    const lookup = fixedLookup("127.0.0.1");
    await downloadResult(`http://results.internal.test:${port}/r.mp4`, join(dir, "ok.mp4"), {
      allowPrivateNetwork: true,
      lookup,
    });
    const asked = lookup.asked.length;
    const connections = server.connectionCount();

    const error = await refusalOf(
      downloadResult(`https://results.internal.test:${port}/r.mp4`, join(dir, "refused.mp4"), { lookup }),
    );
    expect(error.reason).toMatch(/resolves to a loopback address/);
    expect(error.host).toBe(`results.internal.test:${port}`);
    // The guard resolved the name for the new connection, and nothing reached the server.
    expect(lookup.asked).toHaveLength(asked + 1);
    expect(server.connectionCount()).toBe(connections);
    expect(server.requests).toHaveLength(1);
    expect(await readdir(dir)).toEqual(["ok.mp4"]);
  });

  it("the shared guarded agent checks every fresh connection and names each download's own hop", async () => {
    server = await startResultServer(serveBytes(PAYLOAD));
    const port = new URL(server.url).port;
    const lookup = fixedLookup("10.1.2.3");
    for (const host of ["a.example", "b.example", "a.example"]) {
      const error = await refusalOf(downloadResult(`https://${host}:${port}/r.mp4`, join(dir, "x.mp4"), { lookup }));
      expect(error.host).toBe(`${host}:${port}`);
      expect(error.reason).toMatch(/private/);
    }
    // Two at once through the same agent: each refusal names its own download's host.
    const [first, second] = await Promise.all([
      refusalOf(downloadResult(`https://c.example:${port}/r.mp4`, join(dir, "c.mp4"), { lookup })),
      refusalOf(downloadResult(`https://d.example:${port}/r.mp4`, join(dir, "d.mp4"), { lookup })),
    ]);
    expect(first.host).toBe(`c.example:${port}`);
    expect(second.host).toBe(`d.example:${port}`);
    expect(lookup.asked.slice(0, 3)).toEqual(["a.example", "b.example", "a.example"]);
    expect(lookup.asked.slice(3).sort()).toEqual(["c.example", "d.example"]);
    expect(server.connectionCount()).toBe(0);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe("a pooled connection does not keep the process alive", () => {
  let bundleDir: string | undefined;

  afterAll(async () => {
    if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
  });

  /** Bundles download-once.child.ts next to this package's node_modules, so its imports resolve. */
  async function bundleChild(): Promise<string> {
    const cache = join(packageRoot, "node_modules/.cache");
    await mkdir(cache, { recursive: true });
    bundleDir = await mkdtemp(join(cache, "vr-download-once-"));
    await build({
      config: false,
      cwd: packageRoot,
      entry: [fileURLToPath(new URL("./download-once.child.ts", import.meta.url))],
      outDir: bundleDir,
      format: "esm",
      platform: "node",
      dts: false,
      clean: false,
      logLevel: "silent",
    });
    const file = (await readdir(bundleDir)).find((name) => /\.m?js$/.test(name));
    if (!file) throw new Error(`tsdown wrote no script to ${bundleDir}`);
    return join(bundleDir, file);
  }

  it("a script that downloads once exits by itself with code 0 while the server keeps the connection", async () => {
    // The server never closes an idle connection and asks the client to keep it ten minutes:
    // only an idle socket that no longer holds the event loop lets the child exit before the
    // hang guard.
    const connections = new Set<Socket>();
    const keeper = createServer((_req, res) => {
      res.writeHead(200, { "Content-Length": String(PAYLOAD.length), "Keep-Alive": "timeout=600" });
      res.end(PAYLOAD);
    });
    keeper.keepAliveTimeout = 0;
    keeper.on("connection", (socket) => connections.add(socket));
    await new Promise<void>((resolve) => keeper.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(keeper.address() as AddressInfo).port}/once.mp4`;
      const script = await bundleChild();
      const target = join(dir, "once.mp4");
      const child = spawn(process.execPath, [script, url, target], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      // Hang guard only: a child still running after 30 s is killed, and the test fails.
      const guard = setTimeout(() => child.kill("SIGKILL"), 30_000);
      const code = await exited.finally(() => clearTimeout(guard));

      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      expect(JSON.parse(stdout)).toEqual({ bytes: PAYLOAD.length });
      expect((await readFile(target)).equals(PAYLOAD)).toBe(true);
      expect(connections.size).toBe(1);
    } finally {
      for (const socket of connections) socket.destroy();
      await new Promise((resolve) => keeper.close(resolve));
    }
  }, 60_000);
});
