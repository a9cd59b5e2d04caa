/**
 * The emulator's sense of time: task timelines, `slow:<ms>` delays and callback retries all read
 * it, so a test can pass a fake clock and check schedules exactly instead of measuring them.
 */
export interface EmulatorClock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock (`Date.now`, global timers). */
export const systemClock: EmulatorClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
