import { backoffDelayMs, type Clock, sleep } from "@videoretalk/core";

/** Longest spacing between creates learnt from a 429 (a long Retry-After only closes the gate). */
const MAX_GAP_MS = 2_000;
/** Spacing kept after each accepted create: probes for a faster pace. */
const GAP_DECAY = 0.99;
/** Accepted creates in a row (no 429) after which the spacing is halved. */
const RECOVERY_STREAK = 25;
/** Spacing growth on a 429. */
const GAP_BACKOFF = 1.1;
/**
 * The create window never shrinks below this: with creates paced, a window of 1 would cap the
 * rate at one per round trip, below many limits.
 */
const MIN_CREATE_WINDOW = 4;

/** Create calls in flight at the start of a run, before the window has learnt anything. */
const INITIAL_CREATE_WINDOW = 4;

/**
 * The batch's shared answer to rate limits, over two limits:
 * - jobs in flight (started, task not yet finished): at most `max`, the user's `concurrency`;
 * - create calls in progress: an AIMD window. It starts at 4 and grows by 1 per accepted create
 *   (doubling per round trip, like TCP's slow start) until the first 429; from then on a 429
 *   halves it (once per burst of 429s, not below 4) and each accepted create adds 1/window, up to `max`.
 * And one gate for every create: a 429 closes it for its `Retry-After` (or a backoff when there
 * is none), so the whole batch slows down, not one job. The wait of a 429 also sets a pace (the
 * spacing between creates, at most 2 s; 10 % more on each new 429), which shrinks by 1 % per accepted create and by half after 25 in a row; so under a
 * per-second limit the batch settles just under the limit instead of bursting into it.
 */
export class RateControl {
  private window: number;
  private slowStart = true;
  /** Spacing between create calls learnt from 429s (0 until the first one). */
  private gapMs = 0;
  private lastSendAt = Number.NEGATIVE_INFINITY;
  private acceptedInRow = 0;
  private openAt = 0;
  private consecutive429 = 0;
  private slotWaiters: (() => void)[] = [];
  private createWaiters: (() => void)[] = [];
  private creating = 0;
  inFlight = 0;

  constructor(
    private readonly max: number,
    private readonly clock: Clock,
    private readonly random: () => number,
  ) {
    this.window = Math.min(max, INITIAL_CREATE_WINDOW);
  }

  /** The create window now, as a whole number of calls. */
  get concurrency(): number {
    return Math.max(1, Math.floor(this.window));
  }

  /** Resolves once one more job may be in flight; counts it. */
  async acquireSlot(signal: AbortSignal | undefined): Promise<void> {
    while (this.inFlight >= this.max) {
      if (signal?.aborted) throw signal.reason;
      await untilWoken(this.slotWaiters, signal);
    }
    this.inFlight++;
  }

  /** Counts a job in flight without waiting (a task from an earlier run is already running). */
  addRunning(): void {
    this.inFlight++;
  }

  releaseSlot(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    wakeAll(this.slotWaiters);
  }

  /**
   * Waits for room in the create window and for the shared gate to open; then the caller sends
   * one create and calls {@link releaseCreate} once it is answered.
   */
  async acquireCreate(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      if (this.creating >= this.concurrency) {
        await untilWoken(this.createWaiters, signal);
        continue;
      }
      const now = this.clock.now();
      const sendAt = Math.max(this.openAt, this.lastSendAt + this.gapMs);
      if (sendAt <= now) break;
      await sleep(this.clock, sendAt - now, signal);
    }
    this.creating++;
    this.lastSendAt = this.clock.now();
  }

  releaseCreate(): void {
    this.creating = Math.max(0, this.creating - 1);
    wakeAll(this.createWaiters);
  }

  /** An accepted create: additive increase. */
  onAccepted(): void {
    this.consecutive429 = 0;
    this.window = Math.min(this.max, this.window + (this.slowStart ? 1 : 1 / this.window));
    // Probe for a faster pace after each success, and halve it after a long run without a 429
    // (a long Retry-After, e.g. a cap on running tasks, must not slow the rest of the run).
    this.acceptedInRow++;
    const decay = this.acceptedInRow % RECOVERY_STREAK === 0 ? 0.5 : GAP_DECAY;
    this.gapMs = this.gapMs < 1 ? 0 : this.gapMs * decay;
  }

  /**
   * A 429: close the gate for `retryAfterMs` (or a backoff of 1 s doubling to 30 s, equal
   * jitter) and halve the window, unless the gate was already closed by an earlier 429 of the
   * same burst. Returns the wait.
   */
  on429(retryAfterMs: number | undefined): number {
    const now = this.clock.now();
    const burst = now < this.openAt;
    if (!burst) this.consecutive429++;
    this.slowStart = false;
    this.acceptedInRow = 0;
    const waitMs =
      retryAfterMs ??
      backoffDelayMs(this.consecutive429, this.random, { baseMs: 1_000, maxMs: 30_000, jitter: "equal" });
    this.openAt = Math.max(this.openAt, now + waitMs);
    if (!burst) {
      this.window = Math.max(Math.min(this.max, MIN_CREATE_WINDOW), this.window / 2);
      // A per-second limit answers "next slot in r": pace creates at least r apart, and 10 %
      // further apart than the pace that just ran into the limit.
      this.gapMs = Math.min(MAX_GAP_MS, Math.max(this.gapMs * GAP_BACKOFF, waitMs));
    }
    return waitMs;
  }
}

function wakeAll(waiters: (() => void)[]): void {
  for (const wake of waiters.splice(0)) wake();
}

/**
 * Parks the caller in `waiters` until someone wakes it or `signal` aborts; the abort listener is
 * removed either way, so long runs do not pile listeners up on the run's signal.
 */
export function untilWoken(waiters: (() => void)[], signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      signal?.removeEventListener("abort", done);
      resolve();
    };
    waiters.push(done);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** A counting semaphore (downloads). */
export class Semaphore {
  private waiters: (() => void)[] = [];
  private used = 0;
  constructor(private readonly size: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    while (this.used >= this.size) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.used++;
    try {
      return await work();
    } finally {
      this.used--;
      this.waiters.shift()?.();
    }
  }
}
