import { describe, expect, it } from "vitest";
import { createFetchAhead } from "../../src/fetch-ahead.js";

/**
 * The parts of a BullMQ worker fetch-ahead drives, recording each wake of its fetch loop. That a
 * real BullMQ worker's loop wakes on `pause(true)` then `resume()` (BullMQ ≥ 6.4.0) is covered by
 * test/scenario/many-in-flight.test.ts ("holds … jobs in flight"): no task there ends before every
 * job is created and waiting, so its jobs get past the first 2 × maxConcurrentCreates only if
 * each raise wakes the loop.
 */
function fakeWorker(concurrency: number) {
  const wakes: number[] = [];
  const worker = {
    concurrency,
    closing: undefined as Promise<void> | undefined,
    isRunning: () => true,
    pause: async () => {},
    resume: async () => {
      wakes.push(worker.concurrency);
    },
  };
  return { worker, wakes };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("fetching just ahead of creating", () => {
  it("holds waiting jobs plus the lookahead, wakes the fetch loop once half the lookahead is used, and stops at the cap", async () => {
    const { worker, wakes } = fakeWorker(8);
    const ahead = createFetchAhead(worker, 20, 8, new AbortController().signal);
    for (let job = 0; job < 3; job++) ahead.waiting();
    // 3 of the 8 fetched ahead are waiting: raised, but the loop still has 5 to create.
    expect(worker.concurrency).toBe(11);
    expect(wakes).toEqual([]);
    ahead.waiting();
    await settle();
    expect(wakes).toEqual([12]);
    for (let job = 0; job < 16; job++) ahead.waiting();
    await settle();
    // Never above the cap, and the last wake made it fetch up to the cap.
    expect(worker.concurrency).toBe(20);
    expect(wakes.at(-1)).toBe(20);
    // A job that ends lowers the target again: nothing more is fetched for it than needed.
    for (let job = 0; job < 15; job++) ahead.settled(true);
    expect(worker.concurrency).toBe(13);
  });

  it("does not wake a worker that is shutting down", async () => {
    const { worker, wakes } = fakeWorker(4);
    const shutdown = new AbortController();
    const ahead = createFetchAhead(worker, 100, 4, shutdown.signal);
    shutdown.abort();
    for (let job = 0; job < 10; job++) ahead.waiting();
    await settle();
    expect(wakes).toEqual([]);
  });
});
