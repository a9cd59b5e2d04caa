import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { callbackKeys } from "@videoretalk/bullmq";
import { callbackUrl } from "@videoretalk/server";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, spawnCli } from "../support/built-cli.js";
import { redisWithEmulator, writeDistinctVideoManifest } from "../support/redis-emulator.js";

const SECRET = "a-test-secret-of-32-characters!!";
const BASE = "https://hooks.example.com/videoretalk";

/**
 * Stands between the emulator (which forwards every callback to one origin, fixed when it starts)
 * and the worker's receiver (whose port 0 is known only once it listens): forwards each request
 * and records the receiver's answer.
 */
async function startRelay(): Promise<{ url: string; answers: number[]; target?: string; close(): Promise<void> }> {
  const relay: { url: string; answers: number[]; target?: string; close(): Promise<void> } = {
    url: "",
    answers: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!relay.target) {
      res.writeHead(503).end();
      return;
    }
    const answer = await fetch(new URL(req.url ?? "/", relay.target), {
      method: req.method,
      headers: { "content-type": req.headers["content-type"] ?? "application/json" },
      body: Buffer.concat(chunks),
    });
    relay.answers.push(answer.status);
    res.writeHead(answer.status).end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  relay.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return relay;
}

describe("videoretalk worker --callback-base-url --webhook-port --creates-per-second", () => {
  let relay: Awaited<ReturnType<typeof startRelay>>;
  // The relay starts before the emulator (which needs its URL) and, as after-hooks run in
  // reverse, closes after it.
  beforeAll(async () => {
    relay = await startRelay();
  });
  afterAll(async () => {
    await relay?.close();
  });
  const stack = redisWithEmulator(() => ({ forwardCallbacksTo: relay.url }));

  it("creates tasks with a signed callback_url and its own receiver turns each delivery into a finished job", async () => {
    const before = stack.emulator.stats();
    const dir = await stack.dirs.make();
    writeDistinctVideoManifest(dir, ["cb-one", "cb-two", "cb-three"]);
    const env = stack.env({ VR_WEBHOOK_SECRET: SECRET });
    const worker = spawnCli(
      [
        "worker",
        "--redis",
        stack.redis.url,
        "--queue",
        "hooks",
        "--creates-per-second",
        "20",
        "--callback-base-url",
        BASE,
        "--webhook-port",
        "0",
      ],
      { env },
    );
    const [line, receiverUrl] = await worker.waitForStderr(/webhook receiver on (http:\/\/127\.0\.0\.1:\d+)/);
    expect(line).toBeDefined();
    relay.target = receiverUrl;
    expect(worker.stderr()).toContain(`20 creates/s across the queue); callbacks to ${BASE}`);

    const run = await runCli(
      [
        "batch",
        join(dir, "jobs.csv"),
        "--out-dir",
        join(dir, "out"),
        "--redis",
        stack.redis.url,
        "--queue",
        "hooks",
        "--json",
      ],
      { env },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).totals).toMatchObject({ jobs: 3, downloaded: 3, failed: 0 });

    // Every delivery reached the worker's receiver, which accepted it (token verified) and
    // stored the finished task in Redis for the worker waiting on it.
    await expect.poll(() => relay.answers.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    expect(relay.answers.every((status) => status >= 200 && status < 300)).toBe(true);
    // Each job was finished by its callback, not by a read (the worker says which ended the wait).
    for (const id of ["cb-one", "cb-two", "cb-three"]) {
      await expect
        .poll(() => worker.stderr(), { timeout: 30_000 })
        .toMatch(new RegExp(`${id}: completed task-\\S+ \\(from its callback\\)`));
    }
    const client = new Redis(stack.redis.url);
    try {
      const tasks = stack.emulator.stats().tasks.slice(before.tasks.length);
      expect(tasks).toHaveLength(3);
      const keys = callbackKeys("bull", "hooks");
      for (const task of tasks) expect(await client.exists(keys.task(task.id))).toBe(1);
    } finally {
      client.disconnect();
    }

    worker.child.kill("SIGTERM");
    const stopped = await worker.done;
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toMatch(/stopped: every job in flight is checkpointed/);
  });

  it("acts only on the API's version of a delivered task: a forged body neither fails a job nor hands it a foreign result", async () => {
    // A server of "foreign" results: the worker must never take a result URL from a body.
    let foreignRequests = 0;
    const foreign = createServer((_req, res) => {
      foreignRequests++;
      res.writeHead(200, { "content-type": "video/mp4" }).end("not the real result");
    });
    await new Promise<void>((resolve) => foreign.listen(0, "127.0.0.1", resolve));
    const foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/result.mp4`;
    const dir = await stack.dirs.make();
    writeDistinctVideoManifest(dir, ["cb-forged"]);
    const env = stack.env({ VR_WEBHOOK_SECRET: SECRET });
    const queue = "hooks-forged";
    const worker = spawnCli(
      ["worker", "--redis", stack.redis.url, "--queue", queue, "--callback-base-url", BASE, "--webhook-port", "0"],
      { env },
    );
    const client = new Redis(stack.redis.url);
    try {
      const [, receiverUrl = ""] = await worker.waitForStderr(/webhook receiver on (http:\/\/127\.0\.0\.1:\d+)/);
      // The emulator's own deliveries are held back (503: it retries, then gives up), so the job
      // waits for its first read (≥ 1 s) while the forged bodies arrive; polling then finishes it.
      relay.target = undefined;
      // The URL every task of this queue carries (as stored at the API): whoever learns it can post.
      const signed = new URL(await callbackUrl(BASE, { secret: SECRET }));
      const leaked = new URL(`${signed.pathname}${signed.search}`, receiverUrl);
      const post = (body: unknown, url = leaked) =>
        fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

      const run = runCli(
        [
          "batch",
          join(dir, "jobs.csv"),
          "--out-dir",
          join(dir, "out"),
          "--redis",
          stack.redis.url,
          "--queue",
          queue,
          "--json",
        ],
        { env },
      );
      const [, taskId = ""] = await worker.waitForStderr(/cb-forged: created (task-\S+)/);
      const badToken = new URL(leaked);
      badToken.searchParams.set("vr_token", "forged");
      expect((await post({ id: taskId, status: "failed" }, badToken)).status).toBe(401);
      // A valid token with a forged status: the API's version differs, so it is refused (409; 404
      // only if this machine stalled past the job's end, after which its task is not expected).
      const forgedFailure = await post({ id: taskId, status: "failed", error: { code: "x", message: "forged" } });
      expect([409, 404]).toContain(forgedFailure.status);
      // A forged result URL: whatever the answer, only the API's version of the task may count.
      await post({ id: taskId, status: "completed", results: [foreignUrl] });
      // A task no job waits on: 404, and nothing is written to Redis for it.
      const unknownId = "task-unified-1700000000-forged00";
      const unknown = await post({ id: unknownId, status: "completed", results: [foreignUrl] });
      expect(unknown.status).toBe(404);

      const result = await run;
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).totals).toMatchObject({ jobs: 1, downloaded: 1, failed: 0 });
      expect(worker.stderr()).not.toMatch(/failed for good/);
      expect(foreignRequests).toBe(0);
      // The downloaded bytes are the emulator's real result.
      const apiTask = (await (
        await fetch(`${stack.emulator.url}/v1/tasks/${taskId}`, {
          headers: { authorization: `Bearer ${env.EVOLINK_API_KEY}` },
        })
      ).json()) as { results: string[] };
      const real = Buffer.from(await (await fetch(apiTask.results[0] ?? "")).arrayBuffer());
      const files = readdirSync(join(dir, "out")).filter((name) => name.endsWith(".mp4"));
      expect(files).toHaveLength(1);
      expect(readFileSync(join(dir, "out", files[0] ?? "")).equals(real)).toBe(true);
      expect(await client.exists(callbackKeys("bull", queue).task(unknownId))).toBe(0);
      expect(await client.keys(`*${unknownId}*`)).toEqual([]);
    } finally {
      client.disconnect();
      worker.child.kill("SIGTERM");
      await worker.done;
      await new Promise((resolve) => foreign.close(resolve));
    }
  });

  it("names the flag of every bad setting and exits 2 before connecting", async () => {
    const createsBefore = stack.emulator.stats().createsAccepted;
    const env = stack.env({ VR_WEBHOOK_SECRET: SECRET });
    const worker = (args: string[], extraEnv = env) =>
      runCli(["worker", "--redis", stack.redis.url, ...args], { env: extraEnv });
    const cases: [string[], RegExp, Record<string, string>?][] = [
      [["--creates-per-second", "0"], /--creates-per-second must be a number > 0/],
      [["--creates-per-second", "fast"], /--creates-per-second must be a number > 0/],
      [["--webhook-port", "8080"], /--webhook-port needs --callback-base-url/],
      [
        ["--callback-base-url", BASE, "--webhook-port", "70000"],
        /--webhook-port must be a port number from 0 to 65535/,
      ],
      [["--callback-base-url", BASE, "--webhook-host", "0.0.0.0"], /--webhook-host needs --webhook-port/],
      [["--callback-base-url", "http://hooks.example.com/x"], /--callback-base-url must be an https:\/\/ URL/],
      [["--callback-base-url", "https://user@hooks.example.com/x"], /--callback-base-url: /],
      [["--callback-base-url", BASE], /--callback-base-url needs the signing secret in VR_WEBHOOK_SECRET/, stack.env()],
    ];
    for (const [args, message, caseEnv] of cases) {
      const result = await worker(args, caseEnv);
      expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(stack.emulator.stats().createsAccepted).toBe(createsBefore);
  });
});
