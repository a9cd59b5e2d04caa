/**
 * The emulated rate limit on creates: a token bucket of `createsPerSecond` (bursts of up to
 * `max(1, createsPerSecond)`), and a cap on tasks still pending or processing.
 *
 * Time is the emulator's: at `speed` 100, one emulated second lasts 10 real ms, so 5 creates
 * per second means 500 per real second, exactly as a task's 30–60 s last 0.3–0.6 s. The
 * `Retry-After` a client receives is in real seconds (what it will wait): a whole number ≥ 1
 * at speed 1, a decimal with millisecond precision at any other speed.
 */

/** Options of the rate limit; each limit is off when omitted. */
export interface RateLimitOptions {
  /** Creates accepted per (emulated) second, on average; bursts of up to this many. */
  createsPerSecond?: number;
  /** Tasks that may be pending or processing at once; a create beyond it gets 429. */
  maxRunningTasks?: number;
}

/** Why a create must wait, and for how long (real ms). */
export interface RateLimited {
  reason: "creates-per-second" | "max-running-tasks";
  retryAfterMs: number;
}

/** The rate limiter; see {@link createRateLimiter}. */
export interface RateLimiter {
  /** Takes a slot of the per-second limit, or says how long until one frees up. */
  admitRequest(nowMs: number): RateLimited | undefined;
  /** Checks the running-tasks cap for a new task. */
  admitTask(nowMs: number): RateLimited | undefined;
  /** Counts a new task as running until real time `terminalAtMs`. */
  taskStarted(terminalAtMs: number): void;
}

/** Checks the options; throws `RangeError` naming the bad one. */
export function checkRateLimitOptions(options: RateLimitOptions | undefined): RateLimitOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object") throw new TypeError("rateLimit must be an object.");
  const { createsPerSecond, maxRunningTasks } = options;
  if (
    createsPerSecond !== undefined &&
    (typeof createsPerSecond !== "number" || !Number.isFinite(createsPerSecond) || createsPerSecond <= 0)
  ) {
    throw new RangeError(`rateLimit.createsPerSecond must be a positive number, got ${String(createsPerSecond)}.`);
  }
  if (maxRunningTasks !== undefined && (!Number.isInteger(maxRunningTasks) || maxRunningTasks < 1)) {
    throw new RangeError(`rateLimit.maxRunningTasks must be a positive integer, got ${String(maxRunningTasks)}.`);
  }
  return { createsPerSecond, maxRunningTasks };
}

/** A limiter for `options` on a clock running `speed` times faster than real time. */
export function createRateLimiter(options: RateLimitOptions, speed: number): RateLimiter {
  const { createsPerSecond: rate, maxRunningTasks } = options;
  const capacity = rate === undefined ? 0 : Math.max(1, rate);
  let tokens = capacity;
  let lastMs: number | undefined;
  // Real times at which running tasks end, kept sorted.
  let running: number[] = [];

  return {
    admitRequest(nowMs) {
      if (rate === undefined) return undefined;
      if (lastMs !== undefined) {
        const emulatedS = (Math.max(0, nowMs - lastMs) / 1000) * speed;
        tokens = Math.min(capacity, tokens + emulatedS * rate);
      }
      lastMs = nowMs;
      if (tokens >= 1) {
        tokens -= 1;
        return undefined;
      }
      const emulatedWaitS = (1 - tokens) / rate;
      return { reason: "creates-per-second", retryAfterMs: (emulatedWaitS / speed) * 1000 };
    },
    admitTask(nowMs) {
      if (maxRunningTasks === undefined) return undefined;
      running = running.filter((endMs) => endMs > nowMs);
      if (running.length < maxRunningTasks) return undefined;
      const firstEnd = running[0] ?? nowMs;
      return { reason: "max-running-tasks", retryAfterMs: Math.max(0, firstEnd - nowMs) };
    },
    taskStarted(terminalAtMs) {
      if (maxRunningTasks === undefined) return;
      const at = running.findIndex((endMs) => endMs > terminalAtMs);
      if (at === -1) running.push(terminalAtMs);
      else running.splice(at, 0, terminalAtMs);
    },
  };
}

/** The `Retry-After` value for a wait of `ms` real milliseconds (see the module comment). */
export function retryAfterHeader(ms: number, speed: number): string {
  if (speed === 1) return String(Math.max(1, Math.ceil(ms / 1000)));
  return String(Math.max(1, Math.ceil(ms)) / 1000);
}
