/**
 * A manual clock, structurally compatible with core's `Clock`. Timers fire only when a test
 * advances time, so retry waits, timeouts and polling schedules run instantly and exactly.
 */
interface Timer {
  id: number;
  at: number;
  callback: () => void;
}

/** Lets pending promise callbacks (and real I/O callbacks) run. */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class FakeClock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, Timer>();
  /** Every delay passed to setTimeout, in order, for asserting on waits. */
  readonly scheduled: number[] = [];

  constructor(startMs = Date.UTC(2026, 10, 25, 12, 0, 0)) {
    this.time = startMs;
  }

  now = (): number => this.time;

  setTimeout = (callback: () => void, ms: number): number => {
    const id = this.nextId++;
    this.scheduled.push(ms);
    this.timers.set(id, { id, at: this.time + Math.max(0, ms), callback });
    return id;
  };

  clearTimeout = (handle: unknown): void => {
    this.timers.delete(handle as number);
  };

  /** Timers not yet fired or cleared. */
  pendingTimers(): number {
    return this.timers.size;
  }

  /** Delay until the earliest pending timer, or undefined when none is pending. */
  nextTimerInMs(): number | undefined {
    let earliest: number | undefined;
    for (const timer of this.timers.values()) if (earliest === undefined || timer.at < earliest) earliest = timer.at;
    return earliest === undefined ? undefined : earliest - this.time;
  }

  /** Moves time forward by `ms`, firing every timer due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    await flushMicrotasks();
    for (;;) {
      const due = [...this.timers.values()].filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers.delete(due.id);
      this.time = Math.max(this.time, due.at);
      due.callback();
      await flushMicrotasks();
    }
    this.time = end;
    await flushMicrotasks();
  }

  /** Fires timers one after another until `done` settles (or `maxMs` of fake time passes). */
  async runUntilSettled<T>(done: Promise<T>, maxMs = 24 * 60 * 60 * 1000): Promise<T> {
    let settled = false;
    done.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    const limit = this.time + maxMs;
    await flushMicrotasks();
    while (!settled && this.time < limit) {
      const next = this.nextTimerInMs();
      if (next === undefined) {
        await flushMicrotasks();
        if (!settled && this.nextTimerInMs() === undefined) break;
        continue;
      }
      await this.advance(Math.max(0, next));
    }
    return done;
  }
}
