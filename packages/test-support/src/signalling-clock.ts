import { FakeClock } from "./fake-clock.js";

/**
 * A {@link FakeClock} that signals when a timer is set, so a test advances time only once the
 * code under test is waiting ("the upload route is waiting for bytes", "the emulator has
 * scheduled its next callback") instead of guessing how long real I/O takes.
 *
 * @example
 * ```ts
 * const clock = new SignallingClock();
 * const run = startSomethingThatWaits({ clock });
 * const idleMs = await clock.timerSet((ms) => ms === 30_000); // the code is now waiting
 * await clock.advance(idleMs);
 * await expect(run).rejects.toThrow(/timed out/);
 * ```
 */
export class SignallingClock extends FakeClock {
  private readonly listeners = new Set<() => void>();

  constructor(startMs?: number) {
    super(startMs);
    const schedule = this.setTimeout;
    this.setTimeout = (callback, ms) => {
      const id = schedule(callback, ms);
      for (const listener of [...this.listeners]) listener();
      return id;
    };
  }

  /**
   * Resolves with the delay of the first timer set from the `from`-th call of `setTimeout` on
   * (default: the next call) that `matches`, as soon as one is set.
   */
  timerSet(matches: (delayMs: number) => boolean = () => true, from = this.scheduled.length): Promise<number> {
    return this.whenSet(() => this.scheduled.slice(from).find(matches));
  }

  /** Resolves with the delay until the earliest pending timer, as soon as one is pending. */
  nextTimer(): Promise<number> {
    return this.whenSet(() => this.nextTimerInMs());
  }

  /** Resolves with the first defined answer of `probe`, asked now and after every `setTimeout`. */
  private whenSet(probe: () => number | undefined): Promise<number> {
    return new Promise((resolve) => {
      const check = () => {
        const found = probe();
        if (found === undefined) return;
        this.listeners.delete(check);
        resolve(found);
      };
      this.listeners.add(check);
      check();
    });
  }
}
