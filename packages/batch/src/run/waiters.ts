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
