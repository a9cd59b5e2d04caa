/**
 * Fake time for the hook tests: TanStack Query's timers (polling intervals, retry waits, gc)
 * and `Date.now()` run on test-support's FakeClock while a test has called `useFakeTime()`, so
 * schedules are asserted in exact fake milliseconds and "nothing more happens" is checked over
 * minutes of fake time instead of a real sleep. Tests that do not opt in keep real timers.
 */

import { defaultScheduler, notifyManager, timeoutManager } from "@tanstack/react-query";
import { act } from "@testing-library/react";
import { FakeClock, flushMicrotasks } from "@videoretalk/test-support";
import { afterEach, vi } from "vitest";

let active: FakeClock | undefined;
const intervals = new Map<number, number>();
let nextIntervalId = 1;

type Handle = number | ReturnType<typeof setTimeout>;

// One provider object for the whole run (TanStack warns when the provider is swapped); it
// forwards to the fake clock while one is active and to the real timers otherwise.
const provider = {
  setTimeout: (callback: () => void, delay?: number): Handle =>
    active ? active.setTimeout(callback, delay ?? 0) : setTimeout(callback, delay),
  clearTimeout: (handle: Handle | undefined): void => {
    if (typeof handle === "number") active?.clearTimeout(handle);
    else clearTimeout(handle);
  },
  setInterval: (callback: () => void, delay?: number): Handle => {
    const clock = active;
    if (!clock) return setInterval(callback, delay);
    const id = -nextIntervalId++;
    const arm = () => {
      intervals.set(
        id,
        clock.setTimeout(() => {
          arm();
          callback();
        }, delay ?? 0),
      );
    };
    arm();
    return id;
  },
  clearInterval: (handle: Handle | undefined): void => {
    if (typeof handle !== "number") {
      clearInterval(handle);
      return;
    }
    const timer = intervals.get(handle);
    if (timer !== undefined) active?.clearTimeout(timer);
    intervals.delete(handle);
  },
};
timeoutManager.setTimeoutProvider(provider as Parameters<typeof timeoutManager.setTimeoutProvider>[0]);

export interface FakeTime {
  clock: FakeClock;
  /** Moves fake time forward by `ms`, letting React render after every timer. */
  advance(ms: number): Promise<void>;
  /** Advances fake time timer by timer until `check` passes (or `maxMs` of fake time ran out). */
  until(check: () => void, maxMs?: number): Promise<void>;
}

/** Lets promise chains, TanStack's notifications and React's renders run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await act(async () => {
      await flushMicrotasks();
    });
  }
}

/** Switches this test to fake time; real timers come back after it. */
export function useFakeTime(): FakeTime {
  const clock = new FakeClock();
  active = clock;
  // Notifications in microtasks, so they run when the test flushes rather than on a real timer.
  notifyManager.setScheduler((callback) => queueMicrotask(callback));
  vi.spyOn(Date, "now").mockImplementation(() => clock.now());
  const advance = async (ms: number) => {
    const end = clock.now() + ms;
    await settle();
    for (;;) {
      const next = clock.nextTimerInMs();
      if (next === undefined || clock.now() + next > end) break;
      await act(async () => {
        await clock.advance(Math.max(0, next));
      });
      await settle();
    }
    await act(async () => {
      await clock.advance(Math.max(0, end - clock.now()));
    });
    await settle();
  };
  const until = async (check: () => void, maxMs = 10 * 60_000) => {
    const limit = clock.now() + maxMs;
    for (;;) {
      await settle();
      try {
        check();
        return;
      } catch (error) {
        if (clock.now() >= limit) throw error;
      }
      const next = clock.nextTimerInMs();
      await advance(next === undefined ? 1 : Math.max(1, Math.min(next, limit - clock.now())));
    }
  };
  return { clock, advance, until };
}

afterEach(() => {
  if (!active) return;
  active = undefined;
  intervals.clear();
  notifyManager.setScheduler(defaultScheduler);
  vi.mocked(Date.now).mockRestore?.();
});
