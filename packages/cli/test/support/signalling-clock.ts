import { FakeClock } from "@videoretalk/test-support";

/**
 * test-support's fake clock that also says when a timer is set, so a test can wait for an
 * event ("the wait has started its first read") before moving time, instead of guessing how
 * long real I/O takes. The CLI in-process and the emulator share one such clock.
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
    return new Promise((resolve) => {
      const check = () => {
        const found = this.scheduled.slice(from).find(matches);
        if (found === undefined) return;
        this.listeners.delete(check);
        resolve(found);
      };
      this.listeners.add(check);
      check();
    });
  }
}
