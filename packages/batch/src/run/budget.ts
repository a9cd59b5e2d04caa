import { untilWoken } from "./rate-control.js";

/**
 * `--max-credits`: a create may start only if the credits reserved by the batch, plus an estimate
 * for every create still in flight and for this one, stay within the limit. The estimate is the
 * average observed `credits_reserved` per task; until one is observed (and no estimate was given),
 * creates go one at a time so the first observation comes before any overshoot.
 */
export class Budget {
  private reserved = 0;
  private observedSum = 0;
  private observedCount = 0;
  private pending = 0;
  private waiters: (() => void)[] = [];
  /** Set on a 402: the account itself is out of credits; nothing more starts. */
  exhausted = false;

  constructor(
    private readonly maxCredits: number | undefined,
    private readonly estimateHint: number | undefined,
  ) {}

  /** Credits reserved by tasks of this batch so far (earlier runs included). */
  get reservedCredits(): number {
    return this.reserved;
  }

  /** Records a task's `credits_reserved`; `observed` is false for tasks read back from the journal. */
  addReserved(credits: number | undefined): void {
    if (credits === undefined) return;
    this.reserved += credits;
    this.observedSum += credits;
    this.observedCount++;
  }

  /** The credits one more job is expected to reserve, if known. */
  estimate(): number | undefined {
    return this.observedCount > 0 ? this.observedSum / this.observedCount : this.estimateHint;
  }

  /**
   * Decides whether one more create may start: `true` (it is counted as pending until
   * {@link settle}), or `false` (skip it: over budget, or the account is exhausted).
   */
  async admit(signal: AbortSignal | undefined): Promise<boolean> {
    for (;;) {
      if (this.exhausted) return false;
      if (this.maxCredits === undefined) break;
      const estimate = this.estimate();
      if (estimate === undefined && this.pending > 0) {
        if (signal?.aborted) throw signal.reason;
        await untilWoken(this.waiters, signal);
        continue;
      }
      if (this.reserved + (this.pending + 1) * (estimate ?? 0) > this.maxCredits) return false;
      break;
    }
    this.pending++;
    return true;
  }

  /** A pending create ended (created, refused or abandoned); `credits` when created. */
  settle(credits: number | undefined): void {
    this.pending = Math.max(0, this.pending - 1);
    this.addReserved(credits);
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
