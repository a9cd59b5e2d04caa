/**
 * The schedule's default bounds, apart from the schedule itself: the package entry exports them,
 * and the model (`schedule.ts`) is loaded only when a wait starts. See watch-task.ts.
 */

/** Default shortest delay between reads, in ms. */
export const DEFAULT_MIN_INTERVAL_MS = 1_000;
/** Default longest delay between reads, in ms. */
export const DEFAULT_MAX_INTERVAL_MS = 60_000;
