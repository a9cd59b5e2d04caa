import { FakeClock } from "@videoretalk/test-support";
import { describe, expect, it } from "vitest";
import { createCreateGate, type SharedPause } from "../../src/create-gate.js";

/**
 * A shared schedule that records what the gate asked of it; each slot is `slotMs` away. With
 * `intervalMs` the rate is known; `recent429s` says how many 429s the queue recorded already
 * (the first is lone), and `pauseLeftMs` is a pause another worker set.
 */
function recordingSchedule(options: { intervalMs?: number; slotMs?: number; pauseLeftMs?: number } = {}) {
  const calls: string[] = [];
  const state = { recent429s: 0, pauseLeftMs: options.pauseLeftMs ?? 0 };
  const known = options.intervalMs !== undefined;
  const shared: SharedPause = {
    knownIntervalMs: options.intervalMs,
    pause: async (ms) => {
      calls.push(`pause ${ms}`);
    },
    reserveSlot: async () => {
      calls.push("slot");
      return options.slotMs ?? 0;
    },
    pauseLeft: async () => state.pauseLeftMs,
    lone429: known ? async () => state.recent429s++ === 0 : undefined,
    learn: known
      ? undefined
      : async (ms) => {
          calls.push(`learn ${ms}`);
        },
  };
  return { shared, calls, state };
}

/** Acquires with `retry` and says whether the create was let through yet. */
function track(promise: Promise<() => void>): { sent: boolean; done: Promise<void> } {
  const tracked: { sent: boolean; done: Promise<void> } = { sent: false, done: Promise.resolve() };
  tracked.done = promise.then((release) => {
    tracked.sent = true;
    release();
  });
  return tracked;
}

describe("the create gate's answer to a 429", () => {
  it("under a known rate, retries a create's lone first 429 in its own slot after the Retry-After, pausing no one", async () => {
    const clock = new FakeClock();
    const { shared, calls } = recordingSchedule({ intervalMs: 50, slotMs: 50 });
    const gate = createCreateGate(4, shared, clock, () => 0.5);
    const signal = new AbortController().signal;
    const first = gate.acquire(signal);
    await clock.advance(50);
    (await first)();
    const retry = await gate.rateLimited(20, 0);
    expect(retry).toEqual({ delayMs: 20, ownSlot: true });
    const again = track(gate.acquire(signal, undefined, retry));
    await clock.advance(19);
    expect(again.sent).toBe(false);
    await clock.advance(1);
    await again.done;
    // One slot for the first send; the retry took none, and nothing was paused.
    expect(calls).toEqual(["slot"]);
    // A second 429 of the same create is not stray: every worker pauses.
    expect(await gate.rateLimited(20, 1)).toEqual({ delayMs: 20, ownSlot: false });
    expect(calls).toEqual(["slot", "pause 20"]);
  });

  it("a stray 429's retry waits out a longer queue-wide pause another worker set", async () => {
    const clock = new FakeClock();
    const { shared } = recordingSchedule({ intervalMs: 50, pauseLeftMs: 300 });
    const gate = createCreateGate(4, shared, clock, () => 0.5);
    const signal = new AbortController().signal;
    const retry = await gate.rateLimited(20, 0);
    expect(retry.ownSlot).toBe(true);
    const again = track(gate.acquire(signal, undefined, retry));
    await clock.advance(20);
    expect(again.sent).toBe(false);
    await clock.advance(279);
    expect(again.sent).toBe(false);
    await clock.advance(1);
    await again.done;
    expect(again.sent).toBe(true);
  });

  it("under a known rate, pauses the queue for a 429 when another worker saw one recently", async () => {
    const { shared, calls, state } = recordingSchedule({ intervalMs: 50 });
    state.recent429s = 1;
    const gate = createCreateGate(4, shared, new FakeClock(), () => 0.5);
    // Every create in flight gets its first 429 at once (the rate is above the account's): only
    // one may be stray, the others pause everyone.
    const answers = await Promise.all([gate.rateLimited(20, 0), gate.rateLimited(20, 0), gate.rateLimited(20, 0)]);
    expect(answers).toEqual([
      { delayMs: 20, ownSlot: false },
      { delayMs: 20, ownSlot: false },
      { delayMs: 20, ownSlot: false },
    ]);
    expect(calls).toEqual(["pause 20", "pause 20", "pause 20"]);
  });

  it("under a known rate, pauses the queue for a Retry-After longer than 2 intervals (the rate is too high)", async () => {
    const { shared, calls } = recordingSchedule({ intervalMs: 50 });
    const gate = createCreateGate(4, shared, new FakeClock(), () => 0.5);
    expect(await gate.rateLimited(101, 0)).toEqual({ delayMs: 101, ownSlot: false });
    expect(calls).toEqual(["pause 101"]);
    // The 429 was still recorded: the next one is not lone either.
    expect(await gate.rateLimited(20, 0)).toEqual({ delayMs: 20, ownSlot: false });
  });

  it("without a known rate, every 429 pauses the queue and lengthens the learnt spacing", async () => {
    const { shared, calls } = recordingSchedule();
    const gate = createCreateGate(4, shared, new FakeClock(), () => 0.5);
    expect(await gate.rateLimited(300, 0)).toEqual({ delayMs: 300, ownSlot: false });
    expect(calls).toEqual(["pause 300", "learn 300"]);
  });
});
