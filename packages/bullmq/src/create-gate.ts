import { type Clock, sleep } from "@videoretalk/core";
import { CreateWindow } from "./create-window.js";

/** Where a worker process learns about (and announces) pauses every worker must respect. */
export interface SharedPause {
  /** Pauses every worker of the queue for `ms`: new jobs (BullMQ's limiter) and creates. */
  pause(ms: number): Promise<void>;
  /**
   * Reserves this create's slot in the queue-wide schedule (after any queue-wide pause);
   * resolves to the wait in ms.
   */
  reserveSlot(): Promise<number>;
  /** Without a known rate: a 429 lengthens the spacing of the queue-wide schedule. */
  learn?: ((retryAfterMs: number) => Promise<void>) | undefined;
}

/** The gate every create of one worker process goes through. */
export interface CreateGate {
  /**
   * Waits for room in the create window, then for this create's slot of the queue, running
   * `prepare` (the checkpoint before the POST) meanwhile; call the result once answered.
   */
  acquire(signal: AbortSignal, prepare?: () => Promise<void>): Promise<() => void>;
  /** The create was accepted: the window grows. */
  accepted(): void;
  /** A 429: the window halves, and every worker of the queue pauses. Resolves to the pause in ms. */
  rateLimited(retryAfterMs: number | undefined): Promise<number>;
}

/**
 * One process's AIMD window of creates ({@link CreateWindow}, closed for the `Retry-After` of a
 * 429), joined with a pause and a create schedule shared through Redis, so a 429 seen by one
 * worker slows every worker, not just the one that saw it, and the workers together keep to one
 * pace.
 */
export function createCreateGate(
  maxConcurrentCreates: number,
  shared: SharedPause,
  clock: Clock,
  random: () => number,
): CreateGate {
  const window = new CreateWindow(maxConcurrentCreates, clock, random);
  return {
    async acquire(signal, prepare) {
      await window.acquire(signal);
      try {
        const slotMs = await shared.reserveSlot();
        // The checkpoint is written while waiting for the slot, not before: a thousand jobs
        // fetched at once do not write a thousand checkpoints ahead of the first creates.
        await Promise.all([slotMs > 0 ? sleep(clock, slotMs, signal) : undefined, prepare?.()]);
        if (signal.aborted) throw signal.reason;
      } catch (error) {
        window.release();
        throw error;
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        window.release();
      };
    },
    accepted: () => window.accepted(),
    async rateLimited(retryAfterMs) {
      const waitMs = window.rateLimited(retryAfterMs);
      await Promise.all([shared.pause(waitMs), shared.learn?.(waitMs)]);
      return waitMs;
    },
  };
}
