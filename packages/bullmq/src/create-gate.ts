import { RateControl } from "@videoretalk/batch";
import { type Clock, sleep } from "@videoretalk/core";

/** Where a worker process learns about (and announces) pauses every worker must respect. */
export interface SharedPause {
  /** Milliseconds left of the queue-wide pause, 0 when there is none. */
  remainingMs(): Promise<number>;
  /** Pauses every worker of the queue for `ms`: new jobs (BullMQ's limiter) and creates. */
  pause(ms: number): Promise<void>;
  /** With a known rate: reserves this create's slot in the queue-wide schedule; resolves to the wait in ms. */
  reserveSlot?: (() => Promise<number>) | undefined;
}

/** The gate every create of one worker process goes through. */
export interface CreateGate {
  /** Waits out any queue-wide pause and for room in the create window; call the result once answered. */
  acquire(signal: AbortSignal): Promise<() => void>;
  /** The create was accepted: the window grows. */
  accepted(): void;
  /** A 429: the window halves, and every worker of the queue pauses. Resolves to the pause in ms. */
  rateLimited(retryAfterMs: number | undefined): Promise<number>;
}

/**
 * The batch's `RateControl` (an AIMD window of creates, closed for the `Retry-After` of a 429)
 * for one process, joined with a pause shared through Redis so a 429 seen by one worker slows
 * every worker, not just the one that saw it.
 */
export function createCreateGate(
  maxConcurrentCreates: number,
  shared: SharedPause,
  clock: Clock,
  random: () => number,
): CreateGate {
  const rate = new RateControl(maxConcurrentCreates, clock, random);
  return {
    async acquire(signal) {
      for (;;) {
        const remaining = await shared.remainingMs();
        if (remaining <= 0) break;
        await sleep(clock, remaining, signal);
      }
      await rate.acquireCreate(signal);
      try {
        if (signal.aborted) throw signal.reason;
        const slotMs = shared.reserveSlot ? await shared.reserveSlot() : 0;
        if (slotMs > 0) await sleep(clock, slotMs, signal);
      } catch (error) {
        rate.releaseCreate();
        throw error;
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rate.releaseCreate();
      };
    },
    accepted: () => rate.onAccepted(),
    async rateLimited(retryAfterMs) {
      const waitMs = rate.on429(retryAfterMs);
      await shared.pause(waitMs);
      return waitMs;
    },
  };
}
