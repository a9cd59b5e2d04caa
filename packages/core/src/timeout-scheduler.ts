import type { Clock } from "./clock.js";

/**
 * Per-attempt time limits on one shared timer. Arming and clearing a timer for every request
 * costs a few microseconds on a loopback call; here a request only joins a set, and one timer,
 * armed for the earliest deadline, expires whatever is due.
 *
 * After the last request finishes, the timer is left to fire once and stop (in Node it is
 * `unref`ed, so it never keeps a process alive). Only calls without an AbortSignal use it; calls
 * that can be aborted keep exact per-attempt timers. `clearIfIdle()` removes it at once.
 */
export interface TimeoutScheduler {
  /** Calls `onExpire` at `deadlineAt` (clock ms) unless the returned cancel runs first. */
  add(deadlineAt: number, onExpire: () => void): () => void;
  /** Clears the shared timer when no deadline is pending. */
  clearIfIdle(): void;
}

interface Entry {
  at: number;
  fire: () => void;
}

/** Lets the process exit while the timer is pending: Node/Bun timers have `unref`, Deno has `Deno.unrefTimer`. */
function unrefTimer(handle: unknown): void {
  if (typeof (handle as { unref?: unknown } | undefined)?.unref === "function") {
    (handle as { unref: () => void }).unref();
    return;
  }
  const deno = (globalThis as { Deno?: { unrefTimer?: (id: number) => void } }).Deno;
  if (typeof handle === "number") deno?.unrefTimer?.(handle);
}

export function createTimeoutScheduler(clock: Clock): TimeoutScheduler {
  const entries = new Set<Entry>();
  let handle: unknown;
  let armedAt = Number.POSITIVE_INFINITY;

  function arm(at: number): void {
    if (handle !== undefined) clock.clearTimeout(handle);
    armedAt = at;
    handle = clock.setTimeout(tick, Math.max(0, at - clock.now()));
    unrefTimer(handle);
  }

  function tick(): void {
    handle = undefined;
    armedAt = Number.POSITIVE_INFINITY;
    const now = clock.now();
    let next = Number.POSITIVE_INFINITY;
    for (const entry of [...entries]) {
      if (entry.at <= now) {
        entries.delete(entry);
        entry.fire();
      } else if (entry.at < next) {
        next = entry.at;
      }
    }
    if (entries.size > 0 && handle === undefined) arm(next);
  }

  return {
    add(deadlineAt, onExpire) {
      const entry: Entry = { at: deadlineAt, fire: onExpire };
      entries.add(entry);
      if (deadlineAt < armedAt) arm(deadlineAt);
      return () => {
        entries.delete(entry);
      };
    },
    clearIfIdle() {
      if (entries.size === 0 && handle !== undefined) {
        clock.clearTimeout(handle);
        handle = undefined;
        armedAt = Number.POSITIVE_INFINITY;
      }
    },
  };
}
