import { FakeClock } from "@videoretalk/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error -- plain ESM helper shared with the demo; it has no type declarations.
import { startPrismProxy } from "../../../../tools/prism.mjs";
import { type Emulator, startEmulator } from "../../src/index.js";
import { expectApiError } from "../helpers.js";

/**
 * `batchGetTasks`, `getCredits` and the emulator's 402/429 answers behind
 * `prism proxy --errors spec/videoretalk.openapi.yaml`: a non-conforming answer comes back as a
 * 500 with `sl-violations`. One emulator with a balance for exactly two tasks and at most two
 * running tasks, on a fake clock.
 */

const API_KEY = "sk-contract-batch";
const clock = new FakeClock(Date.now());
let emulator: Emulator;
let prism: { url: string; stop: () => Promise<void> };

beforeAll(async () => {
  // The sample video is hosted by the emulator, so every task costs the same credits_reserved.
  emulator = await startEmulator({ speed: 10, apiKey: API_KEY, clock, rateLimit: { maxRunningTasks: 2 } });
  prism = (await startPrismProxy(emulator.url)) as typeof prism;
});

afterAll(async () => {
  await prism?.stop();
  await emulator?.close();
});

async function viaPrism(
  path: string,
  init: { json?: unknown; token?: string } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { Authorization: `Bearer ${init.token ?? API_KEY}` };
  let body: string | undefined;
  if (init.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(init.json);
  }
  const response = await fetch(`${prism.url}${path}`, { method: body ? "POST" : "GET", headers, body });
  const text = await response.text();
  expect(response.headers.get("sl-violations"), `${path}: ${text.slice(0, 500)}`).toBeNull();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) };
}

const minimal = () => ({
  model: "videoretalk",
  video_url: "https://example.com/speaker.mp4",
  audio_url: "https://example.com/speech.wav",
});

describe("batch read, credits and the emulator's limits through prism proxy", () => {
  it("answers batchGetTasks and getCredits as the spec documents", { timeout: 30_000 }, async () => {
    const before = await viaPrism("/v1/credits");
    expect(before.status).toBe(200);
    const first = await viaPrism("/v1/videos/generations", { json: minimal() });
    const second = await viaPrism("/v1/videos/generations", { json: minimal() });
    const ids = [first.body.id, "task-unified-1700000000-unknown1", second.body.id] as string[];

    const pending = await viaPrism("/v1/tasks/batch", { json: { task_ids: ids } });
    expect(pending.status).toBe(200);
    expect((pending.body.data as Array<{ id: string }>).map((task) => task.id)).toEqual([ids[0], ids[2]]);
    await clock.advance(10_000);
    const done = await viaPrism("/v1/tasks/batch", { json: { task_ids: ids } });
    expect((done.body.data as Array<{ status: string }>).map((task) => task.status)).toEqual([
      "completed",
      "completed",
    ]);

    const after = await viaPrism("/v1/credits");
    const used = (after.body.data as { user: { used_credits: number } }).user.used_credits;
    expect(used).toBe(2 * (first.body.usage as { credits_reserved: number }).credits_reserved);
    expect((await viaPrism("/v1/credits", { token: "sk-wrong" })).status).toBe(401);
    expectApiError((await viaPrism("/v1/tasks/batch", { json: { task_ids: ids }, token: "sk-wrong" })).body);
  });

  it("answers the running-tasks cap with a documented 429 and Retry-After", async () => {
    await viaPrism("/v1/videos/generations", { json: minimal() });
    await viaPrism("/v1/videos/generations", { json: minimal() });
    const limited = await viaPrism("/v1/videos/generations", { json: minimal() });
    expect(limited.status).toBe(429);
    expectApiError(limited.body, "rate_limit_exceeded");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("an exhausted balance through prism proxy", () => {
  it("answers a create with the documented 402 insufficient_quota", async () => {
    const broke = await startEmulator({ speed: 10, apiKey: API_KEY, clock, credits: 0 });
    const proxy = (await startPrismProxy(broke.url)) as typeof prism;
    try {
      const response = await fetch(`${proxy.url}/v1/videos/generations`, {
        method: "POST",
        headers: { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" },
        body: JSON.stringify(minimal()),
      });
      expect(response.headers.get("sl-violations")).toBeNull();
      expect(response.status).toBe(402);
      expectApiError(await response.json(), "insufficient_quota");
    } finally {
      await proxy.stop();
      await broke.close();
    }
  });
});
