import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createVideoRetalk } from "@videoretalk/core";
import { type Emulator, startEmulator } from "@videoretalk/emulator";
import { callbackUrl } from "@videoretalk/server";
import { toNodeHandler } from "@videoretalk/server/node";
import { type RunningRedis, startRedis } from "@videoretalk/test-support/redis-server";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CallbackReceiver,
  callbackKeys,
  createCallbackReceiver,
  createLipSyncWorker,
  runQueuedBatch,
} from "../../src/index.js";
import { makeJobs, tempDir } from "../support/fixtures.js";

const SECRET = "a-test-secret-of-32-characters!!";

describe("callbacks complete jobs (polling off)", () => {
  let redis: RunningRedis;
  let emulator: Emulator;
  let receiver: CallbackReceiver;
  let server: Server;
  const dir = tempDir();
  const queueName = "callbacks";

  beforeAll(async () => {
    redis = await startRedis();
    receiver = createCallbackReceiver({ redis: redis.url, queueName, secret: SECRET });
    server = createServer(toNodeHandler(receiver.handler));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    // The API only calls public https URLs; the emulator forwards them to the local receiver.
    emulator = await startEmulator({ speed: 200, forwardCallbacksTo: `http://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await emulator?.close();
    await new Promise((resolve) => server?.close(resolve));
    await receiver?.close();
    await redis?.close();
    dir.remove();
  });

  it("finishes every job from its callback, with no task read at all", async () => {
    const client = createVideoRetalk({ apiKey: "test-key", baseUrl: emulator.url, filesBaseUrl: emulator.url });
    const worker = await createLipSyncWorker({
      client,
      redis: redis.url,
      queueName,
      poll: false,
      callbacks: { baseUrl: "https://hooks.example.com/videoretalk", secret: SECRET },
    });
    try {
      const { jobs } = makeJobs(dir.path, 8);
      const summary = await runQueuedBatch(client, jobs, {
        redis: redis.url,
        queueName,
        outDir: join(dir.path, "out"),
        allowPrivateNetwork: true,
      });
      expect(summary.totals).toMatchObject({ jobs: 8, downloaded: 8, failed: 0 });
      const stats = emulator.stats();
      expect(stats.createsAccepted).toBe(8);
      expect(stats.taskReads + stats.batchReads).toBe(0);
      // Each job recorded its task for the receiver, and forgot it once done.
      const store = new Redis(redis.url);
      try {
        expect(await store.hlen(callbackKeys("bull", queueName).expected)).toBe(0);
      } finally {
        store.disconnect();
      }
    } finally {
      await worker.close();
    }
  });

  it("accepts deliveries only for tasks a job waits on: a forged id writes nothing and costs no API read", async () => {
    const client = createVideoRetalk({ apiKey: "test-key", baseUrl: emulator.url });
    const refetching = createCallbackReceiver({ redis: redis.url, queueName, secret: SECRET, client });
    const signed = new URL(await callbackUrl("https://hooks.example.com/videoretalk", { secret: SECRET }));
    const post = (handler: CallbackReceiver["handler"], url: URL, body: unknown) =>
      handler(
        new Request(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
      );
    const forged = { id: "task-unified-forged-0001", status: "failed", object: "video.generation.task" };
    const redisClient = new Redis(redis.url);
    try {
      const readsBefore = emulator.stats().taskReads;
      // Refetch mode (a client given): 404, so the API would retry a genuine early delivery.
      const refused = await post(refetching.handler, signed, forged);
      expect(refused.status).toBe(404);
      expect(await refused.json()).toMatchObject({ error: { code: "unknown_task" } });
      // Token mode: the store never claims it (409: the sender retries, then stops).
      expect((await post(receiver.handler, signed, forged)).status).toBe(409);
      // A URL whose token does not verify is refused before the body is read.
      const unsigned = new URL(signed);
      unsigned.searchParams.set("vr_token", "forged");
      expect((await post(refetching.handler, unsigned, forged)).status).toBe(401);
      expect(emulator.stats().taskReads).toBe(readsBefore);
      expect(await redisClient.keys(`*${forged.id}*`)).toEqual([]);
    } finally {
      redisClient.disconnect();
      await refetching.close();
    }
  });

  it("refuses poll: false without callbacks (nothing else would end a wait)", async () => {
    const client = createVideoRetalk({ apiKey: "test-key", baseUrl: emulator.url });
    await expect(createLipSyncWorker({ client, redis: redis.url, queueName, poll: false })).rejects.toMatchObject({
      name: "ValidationError",
      field: "poll",
    });
  });
});
