import { describe, expect, it } from "vitest";
import { UNLIMITED_CREDITS } from "../src/index.js";
import { type Body, call, clockOf, emulator, expectApiError, lipSync } from "./helpers.js";

interface CreditsBody {
  success: boolean;
  message: string;
  data: {
    user: { remaining_credits: number; used_credits: number };
    token: { remaining_credits: number; used_credits: number; unlimited_credits: boolean };
  };
}
type TaskBody = Body & { usage: { credits_reserved: number } };

const credits = async (url: string) => {
  const answer = await call(url, "/v1/credits");
  expect(answer.status).toBe(200);
  return answer.body as unknown as CreditsBody;
};
const createTask = (url: string, headers: Record<string, string> = {}) =>
  call(url, "/v1/videos/generations", { body: lipSync(url), headers });

describe("GET /v1/credits", () => {
  it("starts effectively unlimited and is drawn down by each task's credits_reserved", async () => {
    const { url } = await emulator();
    expect(await credits(url)).toEqual({
      success: true,
      message: "success",
      data: {
        user: { remaining_credits: UNLIMITED_CREDITS, used_credits: 0 },
        token: { remaining_credits: 0, used_credits: 0, unlimited_credits: true },
      },
    });
    const created = (await createTask(url)).body as TaskBody;
    const reserved = created.usage.credits_reserved;
    expect(reserved).toBeGreaterThan(0);
    await createTask(url);
    const after = await credits(url);
    expect(after.data.user).toEqual({
      remaining_credits: UNLIMITED_CREDITS - 2 * reserved,
      used_credits: 2 * reserved,
    });
  });

  it("needs the bearer token", async () => {
    const { url } = await emulator();
    const answer = await call(url, "/v1/credits", { token: null });
    expect(answer.status).toBe(401);
    expectApiError(answer.body, "unauthorized");
  });
});

describe("a limited balance", () => {
  it("refuses a create it cannot cover with 402 insufficient_quota, creating no task", async () => {
    const probe = await emulator();
    const reserved = ((await createTask(probe.url)).body as TaskBody).usage.credits_reserved;

    const emu = await emulator({ credits: reserved * 2 + reserved / 2 });
    expect((await createTask(emu.url)).status).toBe(200);
    expect((await createTask(emu.url)).status).toBe(200);
    const refused = await createTask(emu.url, { "Idempotency-Key": "budget-key-0123456789" });
    expect(refused.status).toBe(402);
    expectApiError(refused.body, "insufficient_quota");
    expect((await credits(emu.url)).data.user.remaining_credits).toBe(reserved / 2);

    const stats = emu.stats();
    expect(stats.createsAccepted).toBe(2);
    expect(stats.createsInsufficientCredits).toBe(1);
    expect(stats.tasks).toHaveLength(2);
    // A refused create is not stored under its key: the same key can succeed once credits allow.
    expect((await createTask(emu.url, { "Idempotency-Key": "budget-key-0123456789" })).status).toBe(402);
  });

  it("gives back the credits of a task once it has failed", async () => {
    const emu = await emulator({ credits: 10_000 });
    const failed = await createTask(emu.url, { "X-Emulator-Scenario": "fail:service_error" });
    const reserved = (failed.body as TaskBody).usage.credits_reserved;
    expect((await credits(emu.url)).data.user.remaining_credits).toBe(10_000 - reserved);
    // Past any task's end (60 emulated s at speed 200 = 300 real ms).
    await clockOf(emu.url).advance(1_000);
    const task = await call(emu.url, `/v1/tasks/${(failed.body as TaskBody).id}`);
    expect(task.body.status).toBe("failed");
    expect((await credits(emu.url)).data.user).toEqual({ remaining_credits: 10_000, used_credits: 0 });
  });

  it("refuses a bad credits option", async () => {
    await expect(emulator({ credits: -1 })).rejects.toThrow(RangeError);
  });
});
