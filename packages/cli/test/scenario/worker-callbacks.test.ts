import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { callbackKeys } from "@videoretalk/bullmq";
import { type Emulator, startEmulator } from "@videoretalk/emulator";
import { type RunningRedis, startRedis } from "@videoretalk/test-support/redis-server";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli, spawnCli } from "../support/built-cli.js";
import { SPEAKER_MP4, SPEECH_WAV } from "../support/fixtures.js";
import { tempDirs } from "../support/temp-dir.js";

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
  let redis: RunningRedis;
  let emulator: Emulator;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  const dirs = tempDirs();

  beforeAll(async () => {
    redis = await startRedis();
    relay = await startRelay();
    emulator = await startEmulator({ speed: 200, forwardCallbacksTo: relay.url });
  });
  afterAll(async () => {
    await emulator?.close();
    await relay?.close();
    await redis?.close();
    await dirs.removeAll();
  });

  it("creates tasks with a signed callback_url and its own receiver turns each delivery into a finished job", async () => {
    const dir = await dirs.make();
    const sample = readFileSync(SPEAKER_MP4);
    const ids = ["cb-one", "cb-two", "cb-three"];
    const rows = ["id,video,audio"];
    for (const id of ids) {
      writeFileSync(join(dir, `${id}.mp4`), Buffer.concat([sample, Buffer.from(id)]));
      rows.push(`${id},${id}.mp4,${SPEECH_WAV}`);
    }
    writeFileSync(join(dir, "jobs.csv"), `${rows.join("\n")}\n`);
    const env = cliEnv(emulator.url, { VR_WEBHOOK_SECRET: SECRET });
    const worker = spawnCli(
      [
        "worker",
        "--redis",
        redis.url,
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
        redis.url,
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
    const client = new Redis(redis.url);
    try {
      const tasks = emulator.stats().tasks;
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

  it("names the flag of every bad setting and exits 2 before connecting", async () => {
    const env = cliEnv(emulator.url, { VR_WEBHOOK_SECRET: SECRET });
    const worker = (args: string[], extraEnv = env) =>
      runCli(["worker", "--redis", redis.url, ...args], { env: extraEnv });
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
      [
        ["--callback-base-url", BASE],
        /--callback-base-url needs the signing secret in VR_WEBHOOK_SECRET/,
        cliEnv(emulator.url),
      ],
    ];
    for (const [args, message, caseEnv] of cases) {
      const result = await worker(args, caseEnv);
      expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(emulator.stats().createsAccepted).toBe(3);
  });
});
