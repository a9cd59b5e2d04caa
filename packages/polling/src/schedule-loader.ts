import type { Clock } from "@videoretalk/core";
import type { PollObservation } from "./schedule.js";

/**
 * How a wait gets its delays from the schedule, which is a chunk of its own: the model (~1.2 kB
 * min+gzip, `@videoretalk/polling/schedule`) is loaded with `import()` when the first wait
 * starts, so a page that imports `waitForTask` does not download it up front.
 *
 * @internal
 */

/** The schedule's module. */
type ScheduleModule = typeof import("./schedule.js");

/** Loads the schedule's module; injectable into `watchFrom` for tests. */
export type ScheduleLoader = () => Promise<ScheduleModule>;

let importedSchedule: Promise<ScheduleModule> | undefined;

/** The real loader: one `import()` shared by every wait; a failed one is forgotten, to retry. */
export const importSchedule: ScheduleLoader = () => {
  importedSchedule ??= import("./schedule.js");
  importedSchedule.catch(() => {
    importedSchedule = undefined;
  });
  return importedSchedule;
};

/**
 * The delay used while the model is not there: still loading 5 s after a delay fell due, or its
 * chunk could not be loaded (offline, a deploy replaced it). The model is what is missing, so a
 * fixed, unhurried pace (within the caller's bounds) rather than a guess at the model's.
 */
export const FALLBACK_DELAY_MS = 5_000;

/** What {@link scheduleDelays} needs besides the loader. */
export interface ScheduleDelayOptions {
  minIntervalMs: number;
  maxIntervalMs: number;
  random: () => number;
  clock: Clock;
  /** The wait's signal: an abort stops waiting for the load at once. */
  signal: AbortSignal;
}

/**
 * Starts loading the schedule (alongside the wait's first read, which does not wait for it) and
 * returns the delay function of the wait. A delay that falls due before the model is there waits
 * for the load for at most the fallback delay (less when `remainingMs`, the wait's time left, is
 * shorter), then uses the fallback. A failed load does not end the wait: the next delay that
 * falls due loads again.
 */
export function scheduleDelays(
  load: ScheduleLoader,
  options: ScheduleDelayOptions,
): (observations: readonly PollObservation[], remainingMs: number) => Promise<number> {
  const { minIntervalMs, maxIntervalMs, random, clock, signal } = options;
  const fallbackMs = Math.min(maxIntervalMs, Math.max(minIntervalMs, FALLBACK_DELAY_MS));
  let schedule: ScheduleModule | undefined;
  let loading: Promise<void> | undefined;
  const start = () => {
    loading = load().then(
      (module) => {
        schedule = module;
      },
      () => {
        loading = undefined; // Failed: the next delay that falls due starts another load.
      },
    );
  };
  start();
  return async (observations, remainingMs) => {
    if (!schedule && !loading) start();
    if (!schedule && loading) await settledWithin(loading, clock, Math.min(fallbackMs, remainingMs), signal);
    return schedule ? schedule.nextPollDelayMs(observations, { minIntervalMs, maxIntervalMs, random }) : fallbackMs;
  };
}

/** Resolves when `promise` settles, `ms` have passed on `clock`, or `signal` aborts; never rejects. */
function settledWithin(promise: Promise<void>, clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clock.clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = clock.setTimeout(done, Math.max(0, ms));
    signal.addEventListener("abort", done, { once: true });
    if (signal.aborted) done();
    promise.then(done, done);
  });
}
