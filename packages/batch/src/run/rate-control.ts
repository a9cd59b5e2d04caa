import type { Clock } from "@videoretalk/core";
import { CreateWindow } from "./create-window.js";
import { WaitLine } from "./waiters.js";

export { untilWoken } from "./waiters.js";

/** Longest spacing between creates learnt from a 429 (a long Retry-After only closes the gate). */
const MAX_GAP_MS = 2_000;
/** Spacing kept after each accepted create: probes for a faster pace. */
const GAP_DECAY = 0.99;
/** Accepted creates in a row (no 429) after which the spacing is halved. */
const RECOVERY_STREAK = 25;
/** Spacing growth on a 429. */
const GAP_BACKOFF = 1.1;

/**
 * The batch's shared answer to rate limits, over two limits:
 * - jobs in flight (started, task not yet finished): at most `max`, the user's `concurrency`;
 * - create calls in progress: the AIMD {@link CreateWindow} (starts at 4, halves once per burst
 *   of 429s, not below 4, up to `max`), whose gate a 429 closes for its `Retry-After` (or a
 *   backoff when there is none), so the whole batch slows down, not one job.
 * The wait of a 429 also sets a pace (the spacing between creates, at most 2 s; 10 % more on
 * each new 429), which shrinks by 1 % per accepted create and by half after 25 in a row; so under
 * a per-second limit the batch settles just under the limit instead of bursting into it.
 *
 * The pace is an ideal schedule, not a distance from the last send: a create let through late
 * (a timer fired late on a busy event loop) does not push every later create back, because the
 * next slot is one spacing after the slot it was due in. At most one spacing of lateness is
 * caught up, so the creates in any span of time never exceed one per spacing plus one.
 */
export class RateControl {
  private readonly window: CreateWindow;
  /** Spacing between create calls learnt from 429s (0 until the first one). */
  private gapMs = 0;
  /**
   * The ideal time of the last create let through: the next may go one spacing later. Lags the
   * actual send by at most one spacing (the lateness the schedule may catch up).
   */
  private slotAt = Number.NEGATIVE_INFINITY;
  private acceptedInRow = 0;
  private readonly slotLine = new WaitLine<undefined>();
  inFlight = 0;

  constructor(
    private readonly max: number,
    private readonly clock: Clock,
    random: () => number,
  ) {
    this.window = new CreateWindow(max, clock, random);
  }

  /** The create window now, as a whole number of calls. */
  get concurrency(): number {
    return this.window.size;
  }

  /** Resolves once one more job may be in flight; counts it. */
  async acquireSlot(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    if (this.inFlight < this.max && this.slotLine.length === 0) {
      this.inFlight++;
      return;
    }
    // First come, first served; releaseSlot counts the slot as it lets the caller through.
    await this.slotLine.join(undefined, signal);
  }

  /** Counts a job in flight without waiting (a task from an earlier run is already running). */
  addRunning(): void {
    this.inFlight++;
  }

  releaseSlot(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    while (this.inFlight < this.max && this.slotLine.letFirstThrough()) this.inFlight++;
  }

  /**
   * Waits for room in the create window, for the shared gate to open and for the learnt pace;
   * then the caller sends one create and calls {@link releaseCreate} once it is answered.
   */
  async acquireCreate(signal: AbortSignal | undefined): Promise<void> {
    await this.window.acquire(
      signal,
      () => this.slotAt + this.gapMs,
      (now) => {
        // Within one spacing of its slot: keep the ideal schedule. Later (idle, or a long
        // stall): the slot moves up so that at most one more create may follow at once.
        this.slotAt = Math.max(this.slotAt + this.gapMs, now - this.gapMs);
      },
    );
  }

  releaseCreate(): void {
    this.window.release();
  }

  /** An accepted create: additive increase. */
  onAccepted(): void {
    this.window.accepted();
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
    const burst = this.window.closed;
    this.acceptedInRow = 0;
    const waitMs = this.window.rateLimited(retryAfterMs);
    if (!burst) {
      // A per-second limit answers "next slot in r": pace creates at least r apart, and 10 %
      // further apart than the pace that just ran into the limit.
      this.gapMs = Math.min(MAX_GAP_MS, Math.max(this.gapMs * GAP_BACKOFF, waitMs));
    }
    // The schedule restarts when the gate opens: the first create then, the next one spacing
    // later (the wait at the gate is not lateness to catch up).
    this.slotAt = Math.max(this.slotAt, this.clock.now() + waitMs - this.gapMs);
    return waitMs;
  }
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
