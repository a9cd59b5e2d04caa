import { backoffDelayMs, type Clock, sleep } from "@videoretalk/core";

/** Create calls in flight at the start, before the window has learnt anything (as in the local batch). */
const INITIAL_WINDOW = 4;
/** The window never shrinks below this: creates are paced by the shared schedule, not by the window. */
const MIN_WINDOW = 4;

/**
 * One worker process's AIMD window of create calls, as in the local batch's `RateControl`:
 * starts at 4 and grows by 1 per accepted create until the first 429; from then on a 429 halves
 * it (once per burst, not below 4) and each accepted create adds 1/window, up to `max`. A 429
 * also closes it for the `Retry-After`. Unlike the local batch it learns no pace of its own:
 * the spacing between creates is the queue's, shared by every worker in Redis (`createPacer`),
 * so a process that sends a quarter of the creates does not slow itself to the whole account's
 * pace.
 */
export class CreateWindow {
  private window: number;
  private slowStart = true;
  private creating = 0;
  private openAt = 0;
  private consecutive429 = 0;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly max: number,
    private readonly clock: Clock,
    private readonly random: () => number,
  ) {
    this.window = Math.min(max, INITIAL_WINDOW);
  }

  /** Waits for room in the window and for this process's 429 gate to open; counts the create. */
  async acquire(signal: AbortSignal): Promise<void> {
    for (;;) {
      if (signal.aborted) throw signal.reason;
      if (this.creating >= Math.max(1, Math.floor(this.window))) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            signal.removeEventListener("abort", wake);
            resolve();
          };
          this.waiters.push(wake);
          signal.addEventListener("abort", wake, { once: true });
        });
        continue;
      }
      const waitMs = this.openAt - this.clock.now();
      if (waitMs <= 0) break;
      await sleep(this.clock, waitMs, signal);
    }
    this.creating++;
  }

  /** The create was answered (or abandoned): room for the next. */
  release(): void {
    this.creating = Math.max(0, this.creating - 1);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** An accepted create: additive increase. */
  accepted(): void {
    this.consecutive429 = 0;
    this.window = Math.min(this.max, this.window + (this.slowStart ? 1 : 1 / this.window));
  }

  /**
   * A 429: closes the window for `retryAfterMs` (or a backoff of 1 s doubling to 30 s, equal
   * jitter, when there is none) and halves it, once per burst of 429s. Returns the wait.
   */
  rateLimited(retryAfterMs: number | undefined): number {
    const now = this.clock.now();
    const burst = now < this.openAt;
    if (!burst) this.consecutive429++;
    this.slowStart = false;
    const waitMs =
      retryAfterMs ??
      backoffDelayMs(this.consecutive429, this.random, { baseMs: 1_000, maxMs: 30_000, jitter: "equal" });
    this.openAt = Math.max(this.openAt, now + waitMs);
    if (!burst) this.window = Math.max(Math.min(this.max, MIN_WINDOW), this.window / 2);
    return waitMs;
  }
}
