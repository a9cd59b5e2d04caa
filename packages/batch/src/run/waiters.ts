/** Wakes every parked caller (they re-check their condition). */
export function wakeAll(waiters: (() => void)[]): void {
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

interface Parked<T> {
  readonly data: T;
  readonly signal: AbortSignal | undefined;
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  /** Removes the caller's abort listener. */
  readonly leave: () => void;
}

/**
 * A first-in, first-out line of callers, each carrying `data`, let through one at a time by
 * {@link WaitLine.letFirstThrough}. A caller adds one abort listener when it joins and removes it
 * when it leaves, so a thousand callers waiting through a thousand passes cost a thousand
 * listeners in all, not a million (waking them all on each pass re-armed a listener per caller
 * per pass, and Node's `addEventListener` scans the listeners already there: O(N²)).
 */
export class WaitLine<T> {
  // A Set keeps insertion order and removes an aborted caller from the middle in O(1).
  private readonly parked = new Set<Parked<T>>();

  /**
   * @param onFirstAborted - called after the first in line left because its signal aborted (the
   *   line's owner may have armed a timer on that caller's behalf).
   */
  constructor(private readonly onFirstAborted: () => void = () => {}) {}

  get length(): number {
    return this.parked.size;
  }

  /** The data of the first in line whose signal has not aborted, or undefined. */
  first(): T | undefined {
    return this.firstLive()?.data;
  }

  /**
   * Joins the end of the line. Resolves once let through; rejects with `signal.reason` (and
   * leaves the line) when `signal` aborts first.
   */
  join(data: T, signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        if (!this.parked.has(entry)) return;
        const wasFirst = this.parked.values().next().value === entry;
        this.drop(entry);
        if (wasFirst) this.onFirstAborted();
      };
      const entry: Parked<T> = {
        data,
        signal,
        resolve,
        reject,
        leave: () => signal?.removeEventListener("abort", onAbort),
      };
      this.parked.add(entry);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Lets the first in line (whose signal has not aborted) through; false when nobody waits. */
  letFirstThrough(): boolean {
    const entry = this.firstLive();
    if (!entry) return false;
    this.parked.delete(entry);
    entry.leave();
    entry.resolve();
    return true;
  }

  /**
   * The first caller whose signal has not aborted. Callers whose signal aborted but whose abort
   * listener has not run yet (one signal shared by many callers aborts them one listener at a
   * time) are rejected here, so none is let through after its abort.
   */
  private firstLive(): Parked<T> | undefined {
    for (const entry of this.parked) {
      if (!entry.signal?.aborted) return entry;
      this.drop(entry);
    }
    return undefined;
  }

  private drop(entry: Parked<T>): void {
    this.parked.delete(entry);
    entry.leave();
    entry.reject(entry.signal?.reason);
  }
}
