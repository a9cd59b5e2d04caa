import { describe, expect, it } from "vitest";
import { mapWithConcurrency, ROW_CHECK_CONCURRENCY } from "../../src/batch-preflight.js";
import { resumeCommand } from "../../src/commands/batch.js";

/** A promise with its resolve and reject handles, settled by the test. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every already-settled promise callback run (no timers involved). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe("mapWithConcurrency (the batch pre-check's row pool)", () => {
  it("runs at most `limit` at once, starts the next as one finishes, and keeps the order", async () => {
    const gates = Array.from({ length: 10 }, () => deferred<void>());
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const done = mapWithConcurrency(gates, ROW_CHECK_CONCURRENCY, async (gate, index) => {
      started.push(index);
      running++;
      most = Math.max(most, running);
      await gate.promise;
      running--;
      return index * 2;
    });
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    gates[2]?.resolve();
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    for (const gate of gates.slice().reverse()) gate.resolve();
    expect(await done).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(most).toBe(ROW_CHECK_CONCURRENCY);
  });

  it("stops handing out items after a failure and throws it", async () => {
    const started: number[] = [];
    const run = mapWithConcurrency([0, 1, 2, 3, 4, 5, 6, 7], 2, async (item) => {
      started.push(item);
      if (item === 1) throw new Error("unreadable");
      return item;
    });
    await expect(run).rejects.toThrow("unreadable");
    expect(started).not.toContain(7);
  });

  it("handles an empty list", async () => {
    expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
  });
});

describe("the resume command of a batch run", () => {
  it("keeps --no-check, so a resumed run skips the check as the first did", () => {
    expect(resumeCommand("c.csv", { outDir: "out", check: false })).toBe(
      "videoretalk batch c.csv --out-dir out --no-check",
    );
    expect(resumeCommand("c.csv", { outDir: "out" })).toBe("videoretalk batch c.csv --out-dir out");
  });
});
