import { CreateWindow } from "@videoretalk/batch";
import { type Clock, sleep } from "@videoretalk/core";

/** Where a worker process learns about (and announces) pauses every worker must respect. */
export interface SharedPause {
  /** Pauses every worker of the queue for `ms`: new jobs (BullMQ's limiter) and creates. */
  pause(ms: number): Promise<void>;
  /**
   * Reserves this create's slot in the queue-wide schedule (after any queue-wide pause);
   * resolves to the wait in ms.
   */
  reserveSlot(): Promise<number>;
  /** What is left of the queue-wide pause, in ms (0: none). */
  pauseLeft(): Promise<number>;
  /** Without a known rate: a 429 lengthens the spacing of the queue-wide schedule. */
  learn?: ((retryAfterMs: number) => Promise<void>) | undefined;
  /** The spacing of a rate the user gave (`createsPerSecond`), in ms; undefined when learnt. */
  knownIntervalMs?: number | undefined;
  /** Under a known rate: records a 429 queue-wide; true when no other was seen recently. */
  lone429?: (() => Promise<boolean>) | undefined;
}

/** How a create that got a 429 is sent again. */
export interface RateLimitedRetry {
  /** How long it waits (the `Retry-After`, or the backoff). */
  delayMs: number;
  /**
   * A stray 429 under a known rate: the create goes again after `delayMs` (or the end of a
   * queue-wide pause another worker set, if later) in the slot it already had, and the queue's
   * schedule is not paused. Otherwise it waits for a new slot after the queue-wide pause.
   */
  ownSlot: boolean;
}

/** The gate every create of one worker process goes through. */
export interface CreateGate {
  /**
   * Waits for room in the create window, then for this create's slot of the queue (or, with
   * `retry.ownSlot`, just for `retry.delayMs`), running `prepare` (the checkpoint before the
   * POST) meanwhile; call the result once answered.
   */
  acquire(signal: AbortSignal, prepare?: () => Promise<void>, retry?: RateLimitedRetry): Promise<() => void>;
  /** The create was accepted: the window grows. */
  accepted(): void;
  /**
   * A 429 for a create that has had `earlier429s` before it. Under a known rate, a create's first
   * 429 is stray (requests reserved 1/rate apart reached the API closer together) when no other
   * worker saw a 429 recently and its `Retry-After` is at most {@link STRAY_MAX_INTERVALS}
   * intervals: it is retried in its own slot. Any other 429 pauses every worker of the queue —
   * also under a rate set above the account's real limit, whose 429s come too often to be stray.
   */
  rateLimited(retryAfterMs: number | undefined, earlier429s: number): Promise<RateLimitedRetry>;
}

/** A stray 429's `Retry-After` is at most this many create intervals (a longer one means the rate is too high). */
export const STRAY_MAX_INTERVALS = 2;

/** The `Retry-After` of a stray 429 under a known rate (see {@link CreateGate.rateLimited}); undefined otherwise. */
async function strayRetryAfter(
  shared: SharedPause,
  retryAfterMs: number | undefined,
  earlier429s: number,
): Promise<number | undefined> {
  const intervalMs = shared.knownIntervalMs;
  if (intervalMs === undefined || !shared.lone429) return undefined;
  // Recorded for every 429 under a known rate, so the next one within the window is not stray.
  const lone = await shared.lone429();
  if (!lone || earlier429s > 0 || retryAfterMs === undefined) return undefined;
  return retryAfterMs <= STRAY_MAX_INTERVALS * intervalMs ? retryAfterMs : undefined;
}

/**
 * One process's cap on creates at once (the local batch's `CreateWindow`, closed for the
 * `Retry-After` of a 429), joined with a pause and a create schedule shared through Redis, so a
 * 429 seen by one worker slows every worker, not just the one that saw it, and the workers
 * together keep to one pace.
 */
export function createCreateGate(
  maxConcurrentCreates: number,
  shared: SharedPause,
  clock: Clock,
  random: () => number,
): CreateGate {
  // A fixed cap (no slow start, no halving): the pace is the queue's shared schedule, and a
  // window halved on a 429 capped a process at window ÷ round trip, below its share of the rate
  // once creates took 0.2–0.7 s (measured in the scale-out bench).
  const window = new CreateWindow(maxConcurrentCreates, clock, random, {
    initial: maxConcurrentCreates,
    min: maxConcurrentCreates,
  });
  return {
    async acquire(signal, prepare, retry) {
      await window.acquire(signal);
      try {
        // A stray 429 keeps its slot, but never fires into a pause another worker's 429 set.
        const slotMs = retry?.ownSlot ? Math.max(retry.delayMs, await shared.pauseLeft()) : await shared.reserveSlot();
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
    async rateLimited(retryAfterMs, earlier429s) {
      const stray = await strayRetryAfter(shared, retryAfterMs, earlier429s);
      if (stray !== undefined) {
        // The schedule is right (the rate is known); pausing every worker for one early arrival
        // would leave its slots unused. The token this create was refused is still there.
        return { delayMs: stray, ownSlot: true };
      }
      const delayMs = window.rateLimited(retryAfterMs);
      await Promise.all([shared.pause(delayMs), shared.learn?.(delayMs)]);
      return { delayMs, ownSlot: false };
    },
  };
}
