import { backoffDelayMs, type Clock } from "@videoretalk/core";
import { WaitLine } from "./waiters.js";

/**
 * By default the window never shrinks below this: with creates paced, a window of 1 would cap
 * the rate at one per round trip, below many limits.
 */
const MIN_CREATE_WINDOW = 4;

/** Create calls in flight at the start, before the window has learnt anything. */
const INITIAL_CREATE_WINDOW = 4;

/** What the first in line waits for besides the window and the gate. */
interface Pace {
  notBefore: (() => number) | undefined;
  onAcquired: ((now: number) => void) | undefined;
}

/**
 * An AIMD window over create calls, with the gate a 429 closes. It starts at 4 and grows by 1
 * per accepted create (doubling per round trip, like TCP's slow start) until the first 429; from
 * then on a 429 halves it (once per burst of 429s, not below 4) and each accepted create adds
 * 1/window, up to `max`. A 429 also closes the gate for its `Retry-After` (or a backoff of 1 s
 * doubling to 30 s, equal jitter, when there is none).
 *
 * It paces nothing by itself: the local batch's {@link RateControl} adds the spacing it learns
 * from 429s (`acquire`'s `notBefore`), `@videoretalk/bullmq` a schedule shared in Redis.
 *
 * Callers wait in one first-in, first-out line. Only the first waits for the gate and the pace
 * (one timer for the whole line); the others wait for their turn without a timer, so a create
 * costs O(1) however many callers wait.
 *
 * @example
 * ```ts
 * const window = new CreateWindow(16, systemClock, Math.random);
 * await window.acquire(signal);
 * try {
 *   await client.lipSync.create(params, { idempotencyKey, maxRetries: 0 });
 *   window.accepted();
 * } catch (error) {
 *   if (error instanceof RateLimitError) window.rateLimited(error.retryAfterMs);
 * } finally {
 *   window.release();
 * }
 * ```
 */
export class CreateWindow {
  private window: number;
  private readonly min: number;
  private slowStart = true;
  private creating = 0;
  private openAt = 0;
  private consecutive429 = 0;
  private readonly line = new WaitLine<Pace>(() => this.rearm());
  /** The one timer, armed for the first in line while the gate or its pace holds it. */
  private timer: { handle: unknown } | undefined;

  /**
   * @param max - the most create calls at once.
   * @param bounds - `initial` (default 4) and `min` (default 4): where the window starts and the
   *   floor a 429 halves it to (both capped at `max`). A caller whose creates are paced elsewhere
   *   (a shared schedule) passes `max` for both: a fixed cap that still closes on a 429.
   */
  constructor(
    private readonly max: number,
    private readonly clock: Clock,
    private readonly random: () => number,
    bounds: { initial?: number | undefined; min?: number | undefined } = {},
  ) {
    this.window = Math.min(max, bounds.initial ?? INITIAL_CREATE_WINDOW);
    this.min = Math.min(max, bounds.min ?? MIN_CREATE_WINDOW);
  }

  /** The window now, as a whole number of calls. */
  get size(): number {
    return Math.max(1, Math.floor(this.window));
  }

  /** True while a 429's wait keeps the gate closed (a further 429 belongs to the same burst). */
  get closed(): boolean {
    return this.clock.now() < this.openAt;
  }

  /**
   * Waits for its turn (first in, first out), for room in the window, for the gate to open and
   * for `notBefore()` (a pace the caller keeps, as a clock time; re-read whenever the first in
   * line is reconsidered); then counts the create and calls `onAcquired(now)` before the next
   * caller is considered, so a pace updated there holds for the next. Call {@link release} once
   * the create is answered or abandoned. Rejects with `signal.reason` if `signal` aborts first.
   */
  acquire(
    signal: AbortSignal | undefined,
    notBefore?: () => number,
    onAcquired?: (now: number) => void,
  ): Promise<void> {
    const turn = this.line.join({ notBefore, onAcquired }, signal);
    this.letThrough();
    return turn;
  }

  /** The create was answered (or abandoned): room for the next. */
  release(): void {
    this.creating = Math.max(0, this.creating - 1);
    this.letThrough();
  }

  /**
   * Lets callers through from the front of the line while the window has room and the gate and
   * the first caller's pace allow; otherwise arms the one timer (or waits for a release).
   */
  private letThrough(): void {
    if (this.timer) return; // it runs this again when it fires
    for (;;) {
      const pace = this.line.first();
      if (pace === undefined || this.creating >= this.size) return;
      const now = this.clock.now();
      const waitMs = Math.max(this.openAt, pace.notBefore?.() ?? 0) - now;
      if (waitMs > 0) {
        const timer: { handle: unknown } = { handle: undefined };
        this.timer = timer;
        timer.handle = this.clock.setTimeout(() => {
          if (this.timer === timer) this.timer = undefined;
          this.letThrough();
        }, waitMs);
        return;
      }
      this.creating++;
      pace.onAcquired?.(now);
      this.line.letFirstThrough();
    }
  }

  /** The first in line left (aborted): its timer may not suit the next one. */
  private rearm(): void {
    if (this.timer) this.clock.clearTimeout(this.timer.handle);
    this.timer = undefined;
    this.letThrough();
  }

  /** An accepted create: additive increase. */
  accepted(): void {
    this.consecutive429 = 0;
    this.window = Math.min(this.max, this.window + (this.slowStart ? 1 : 1 / this.window));
  }

  /**
   * A 429: closes the gate for `retryAfterMs` (or the backoff) and halves the window, once per
   * burst (a 429 while the gate is still closed does not halve again). Returns the wait in ms.
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
    if (!burst) this.window = Math.max(this.min, this.window / 2);
    return waitMs;
  }
}
