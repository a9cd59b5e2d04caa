import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { readStats } from "../src/account-routes.js";
import type { EmulatorContext } from "../src/context.js";
import { call, emulator, lipSync } from "./helpers.js";

describe("stats()", () => {
  it("counts an idempotent replay once, as a replay: one task per key", async () => {
    const emu = await emulator();
    const key = "stats-replay-key-0123456789";
    const body = lipSync(emu.url);
    const first = await call(emu.url, "/v1/videos/generations", { body, headers: { "Idempotency-Key": key } });
    const again = await call(emu.url, "/v1/videos/generations", { body, headers: { "Idempotency-Key": key } });
    expect(again.body.id).toBe(first.body.id);
    const plain = await call(emu.url, "/v1/videos/generations", { body });

    expect(emu.stats()).toEqual({
      createsAccepted: 2,
      createsReplayed: 1,
      createsRateLimited: 0,
      createsInsufficientCredits: 0,
      taskReads: 0,
      batchReads: 0,
      credits: expect.objectContaining({ used: expect.any(Number) }),
      tasks: [
        { id: first.body.id, idempotencyKey: key, videoUrl: body.video_url },
        { id: plain.body.id, idempotencyKey: undefined, videoUrl: body.video_url },
      ],
    });
  });

  it("is served at GET /__emulator/stats without a token, as the same JSON", async () => {
    const emu = await emulator();
    await call(emu.url, "/v1/videos/generations", {
      body: lipSync(emu.url),
      headers: { "Idempotency-Key": "k".repeat(20) },
    });
    const answer = await call(emu.url, "/__emulator/stats", { token: null });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(JSON.parse(JSON.stringify(emu.stats())));
  });

  it("is refused (404) to a client that is not on this machine", () => {
    const context = { accounting: { stats: () => ({ createsAccepted: 1 }) } } as unknown as EmulatorContext;
    const from = (remoteAddress: string) => ({ socket: { remoteAddress } }) as unknown as IncomingMessage;
    expect(readStats(from("192.0.2.10"), context).status).toBe(404);
    expect(readStats(from("::ffff:10.0.0.5"), context).status).toBe(404);
    expect(readStats(from("::1"), context).status).toBe(200);
    expect(readStats(from("::ffff:127.0.0.1"), context).status).toBe(200);
  });
});
