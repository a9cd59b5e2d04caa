import { FakeClock, flushMicrotasks } from "@videoretalk/test-support";
import { describe, expect, it } from "vitest";
import { Budget, RateControl } from "../src/index.js";

describe("RateControl (AIMD over creates, shared 429 gate)", () => {
  it("grows per accepted create until the first 429, halves once per burst of 429s, then grows back by 1/window per create", async () => {
    const clock = new FakeClock();
    const rate = new RateControl(64, clock, () => 0.5);
    expect(rate.concurrency).toBe(4);
    for (let i = 0; i < 12; i++) rate.onAccepted();
    expect(rate.concurrency).toBe(16);
    rate.on429(1_000);
    expect(rate.concurrency).toBe(8);
    // More 429s of the same burst (the gate is still closed) do not halve again.
    rate.on429(1_000);
    rate.on429(500);
    expect(rate.concurrency).toBe(8);
    // Additive increase: about one more per window's worth of accepted creates.
    for (let i = 0; i < 10; i++) rate.onAccepted();
    expect(rate.concurrency).toBe(9);
    // Never below 4, however many bursts.
    for (let i = 0; i < 6; i++) {
      rate.on429(1);
      await clock.advance(1_000);
    }
    expect(rate.concurrency).toBe(4);
  });

  it("a 429 holds every create at the gate for its Retry-After, then paces them that far apart", async () => {
    const clock = new FakeClock();
    const rate = new RateControl(8, clock, () => 0.5);
    expect(rate.on429(2_000)).toBe(2_000);
    const passedAt: number[] = [];
    const waiting = [rate.acquireCreate(undefined), rate.acquireCreate(undefined)].map((p) =>
      p.then(() => passedAt.push(clock.now())),
    );
    const start = clock.now();
    await clock.advance(1_999);
    expect(passedAt).toEqual([]);
    await clock.advance(1);
    expect(passedAt).toEqual([start + 2_000]);
    await clock.advance(2_000);
    await Promise.all(waiting);
    expect(passedAt).toEqual([start + 2_000, start + 4_000]);
    // Accepted creates shorten the pace again (1 % each).
    rate.onAccepted();
    rate.releaseCreate();
    rate.releaseCreate();
    const next = rate.acquireCreate(undefined).then(() => passedAt.push(clock.now()));
    await clock.advance(1_980);
    await next;
    expect(passedAt[2]).toBe(start + 4_000 + 1_980);
  });

  it("without Retry-After, a 429 closes the gate for a backoff of 1 s doubling (equal jitter)", async () => {
    const rate = new RateControl(8, new FakeClock(), () => 0.5);
    expect(rate.on429(undefined)).toBe(750);
  });

  it("bounds jobs in flight at the concurrency and wakes a waiter when one finishes", async () => {
    const rate = new RateControl(2, new FakeClock(), Math.random);
    await rate.acquireSlot(undefined);
    await rate.acquireSlot(undefined);
    let third = false;
    const pending = rate.acquireSlot(undefined).then(() => {
      third = true;
    });
    await flushMicrotasks();
    expect(third).toBe(false);
    rate.releaseSlot();
    await pending;
    expect(third).toBe(true);
  });
});

describe("RateControl's job slots", () => {
  it("hands freed slots to waiting jobs first come, first served; an aborted one is skipped", async () => {
    const rate = new RateControl(1, new FakeClock(), Math.random);
    await rate.acquireSlot(undefined);
    const cancelled = new AbortController();
    const order: string[] = [];
    const waiting = ["a", "b", "c"].map((name) =>
      rate.acquireSlot(name === "b" ? cancelled.signal : undefined).then(
        () => order.push(name),
        () => order.push(`${name} aborted`),
      ),
    );
    cancelled.abort();
    await flushMicrotasks();
    expect(order).toEqual(["b aborted"]);
    rate.releaseSlot();
    await flushMicrotasks();
    expect(order).toEqual(["b aborted", "a"]);
    expect(rate.inFlight).toBe(1);
    rate.releaseSlot();
    await Promise.all(waiting);
    expect(order).toEqual(["b aborted", "a", "c"]);
    expect(rate.inFlight).toBe(1);
  });
});

describe("Budget", () => {
  it("serialises creates until a cost is observed, then admits while reserved + in flight + next fit", async () => {
    const budget = new Budget(250, undefined);
    expect(await budget.admit(undefined)).toBe(true);
    let second: boolean | undefined;
    const pending = budget.admit(undefined).then((ok) => {
      second = ok;
    });
    await flushMicrotasks();
    expect(second).toBeUndefined();
    budget.settle(100);
    await pending;
    expect(second).toBe(true); // 100 reserved + 1 × 100 estimated ≤ 250
    expect(await budget.admit(undefined)).toBe(false); // 100 + 2 × 100 > 250
    budget.settle(100);
    expect(budget.reservedCredits).toBe(200);
    expect(await budget.admit(undefined)).toBe(false);
  });

  it("without a limit admits everything until the account is exhausted (402)", async () => {
    const budget = new Budget(undefined, undefined);
    expect(await budget.admit(undefined)).toBe(true);
    budget.exhausted = true;
    expect(await budget.admit(undefined)).toBe(false);
  });
});
