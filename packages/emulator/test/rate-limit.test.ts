import { describe, expect, it } from "vitest";
import { call, clockOf, emulator, expectApiError, lipSync } from "./helpers.js";

const createTask = (url: string, headers: Record<string, string> = {}) =>
  call(url, "/v1/videos/generations", { body: lipSync(url), headers });

describe("rateLimit.createsPerSecond", () => {
  it("at speed 1: a burst of up to the rate, then 429 rate_limit_exceeded with a whole-second Retry-After", async () => {
    const emu = await emulator({ speed: 1, rateLimit: { createsPerSecond: 2 } });
    expect((await createTask(emu.url)).status).toBe(200);
    expect((await createTask(emu.url)).status).toBe(200);
    const limited = await createTask(emu.url);
    expect(limited.status).toBe(429);
    expectApiError(limited.body, "rate_limit_exceeded");
    // One slot frees up after 1/2 s; a whole number of seconds, at least 1, is sent.
    expect(limited.headers.get("retry-after")).toBe("1");

    await clockOf(emu.url).advance(500);
    expect((await createTask(emu.url)).status).toBe(200);
    expect((await createTask(emu.url)).status).toBe(429);
    expect(emu.stats()).toMatchObject({ createsAccepted: 3, createsRateLimited: 2 });
    expect(emu.stats().tasks).toHaveLength(3);
  });

  it("counts in the emulator's scaled time: at speed 10, 1 create per second is one per 100 real ms", async () => {
    const emu = await emulator({ speed: 10, rateLimit: { createsPerSecond: 1 } });
    expect((await createTask(emu.url)).status).toBe(200);
    const limited = await createTask(emu.url);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("0.1");
    await clockOf(emu.url).advance(99);
    expect((await createTask(emu.url)).status).toBe(429);
    await clockOf(emu.url).advance(1);
    expect((await createTask(emu.url)).status).toBe(200);
  });

  it("leaves reads alone", async () => {
    const emu = await emulator({ speed: 1, rateLimit: { createsPerSecond: 1 } });
    const { body } = await createTask(emu.url);
    for (let i = 0; i < 5; i++) expect((await call(emu.url, `/v1/tasks/${body.id}`)).status).toBe(200);
    expect((await call(emu.url, "/v1/credits")).status).toBe(200);
  });
});

describe("rateLimit.maxRunningTasks", () => {
  it("answers 429 while the cap is reached, with Retry-After = the time until a running task ends", async () => {
    const emu = await emulator({ rateLimit: { maxRunningTasks: 2 } });
    const first = await createTask(emu.url);
    await clockOf(emu.url).advance(10);
    const second = await createTask(emu.url);
    expect(second.status).toBe(200);
    const limited = await createTask(emu.url);
    expect(limited.status).toBe(429);
    expectApiError(limited.body, "rate_limit_exceeded");
    const statuses = async () =>
      Promise.all([first, second].map(async (task) => (await call(emu.url, `/v1/tasks/${task.body.id}`)).body.status));

    // Milliseconds, as a client reads it (Number("0.029") * 1000 is 28.999…).
    const waitMs = Math.round(Number(limited.headers.get("retry-after")) * 1000);
    expect(waitMs).toBeGreaterThan(0);
    await clockOf(emu.url).advance(waitMs - 1);
    expect(await statuses()).toEqual(["processing", "processing"]);
    expect((await createTask(emu.url)).status).toBe(429);
    await clockOf(emu.url).advance(1);
    expect(await statuses()).toContain("completed");
    expect((await createTask(emu.url)).status).toBe(200);
    expect(emu.stats()).toMatchObject({ createsAccepted: 3, createsRateLimited: 2 });
  });

  it("still replays an idempotent create while the cap is reached (no new task)", async () => {
    const emu = await emulator({ rateLimit: { maxRunningTasks: 1 } });
    const headers = { "Idempotency-Key": "cap-replay-key-0123456789" };
    const first = await createTask(emu.url, headers);
    const replay = await createTask(emu.url, headers);
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotency-replayed")).toBe("true");
    expect(replay.body.id).toBe(first.body.id);
    expect((await createTask(emu.url)).status).toBe(429);
  });
});

describe("rateLimit options", () => {
  it.each([
    [{ createsPerSecond: 0 }, /createsPerSecond/],
    [{ createsPerSecond: Number.NaN }, /createsPerSecond/],
    [{ maxRunningTasks: 0 }, /maxRunningTasks/],
    [{ maxRunningTasks: 1.5 }, /maxRunningTasks/],
  ])("refuses %o with a RangeError naming it", async (rateLimit, message) => {
    await expect(emulator({ rateLimit })).rejects.toThrow(message);
  });
});
