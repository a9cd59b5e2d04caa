import { FakeClock } from "@videoretalk/test-support";
import { describe, expect, it } from "vitest";
import { createCreateGate, type SharedPause } from "../../src/create-gate.js";

/** A shared schedule that records what the gate asked of it; each slot is `slotMs` away. */
function recordingSchedule(knownRate: boolean, slotMs = 0) {
  const calls: string[] = [];
  const shared: SharedPause = {
    knownRate,
    pause: async (ms) => {
      calls.push(`pause ${ms}`);
    },
    reserveSlot: async () => {
      calls.push("slot");
      return slotMs;
    },
    learn: knownRate
      ? undefined
      : async (ms) => {
          calls.push(`learn ${ms}`);
        },
  };
  return { shared, calls };
}

describe("the create gate's answer to a 429", () => {
  it("under a known rate, retries a create's first 429 in its own slot after the Retry-After, pausing no one", async () => {
    const clock = new FakeClock();
    const { shared, calls } = recordingSchedule(true, 50);
    const gate = createCreateGate(4, shared, clock, () => 0.5);
    const signal = new AbortController().signal;
    const first = gate.acquire(signal);
    await clock.advance(50);
    (await first)();
    const retry = await gate.rateLimited(20, 0);
    expect(retry).toEqual({ delayMs: 20, ownSlot: true });
    let sent = false;
    const again = gate.acquire(signal, undefined, retry).then((done) => {
      sent = true;
      done();
    });
    await clock.advance(19);
    expect(sent).toBe(false);
    await clock.advance(1);
    await again;
    // One slot for the first send; the retry took none, and nothing was paused.
    expect(calls).toEqual(["slot"]);
    // A second 429 of the same create is not stray: every worker pauses.
    expect(await gate.rateLimited(20, 1)).toEqual({ delayMs: 20, ownSlot: false });
    expect(calls).toEqual(["slot", "pause 20"]);
  });

  it("without a known rate, every 429 pauses the queue and lengthens the learnt spacing", async () => {
    const { shared, calls } = recordingSchedule(false);
    const gate = createCreateGate(4, shared, new FakeClock(), () => 0.5);
    expect(await gate.rateLimited(300, 0)).toEqual({ delayMs: 300, ownSlot: false });
    expect(calls).toEqual(["pause 300", "learn 300"]);
  });
});
