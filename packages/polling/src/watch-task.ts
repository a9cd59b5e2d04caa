import {
  APIError,
  APITimeoutError,
  backoffDelayMs,
  type Clock,
  isTerminalStatus,
  isTransientError,
  RequestAbortedError,
  sleep,
  systemClock,
  type Task,
  ValidationError,
  type VideoRetalkClient,
  VideoRetalkError,
} from "@videoretalk/core";
import { WaitTimeoutError } from "./errors.js";
import type { PollObservation } from "./schedule.js";
import { DEFAULT_MAX_INTERVAL_MS, DEFAULT_MIN_INTERVAL_MS } from "./schedule-defaults.js";
import { importSchedule, type ScheduleLoader, scheduleDelays } from "./schedule-loader.js";
import { terminalTaskError } from "./terminal-error.js";

/** Default overall time limit of a wait, in ms (30 minutes). */
export const DEFAULT_WAIT_TIMEOUT_MS = 30 * 60_000;

/** Options of {@link watchTask}, {@link waitForTask} and {@link createAndWait}. */
export interface WatchTaskOptions {
  /** Stops the wait at once: the sleep and the read in flight end with core's `RequestAbortedError`. */
  signal?: AbortSignal | undefined;
  /**
   * Time limit of the whole wait (reads, sleeps and retries), in ms. Default 1 800 000 (30 min).
   * On expiry the read in flight is aborted and `WaitTimeoutError` is thrown with the last task.
   */
  timeoutMs?: number | undefined;
  /** Shortest delay between reads, in ms. Default 1 000. */
  minIntervalMs?: number | undefined;
  /** Longest delay between reads, in ms. Default 60 000. */
  maxIntervalMs?: number | undefined;
  /** Called with each distinct update (status or progress change), when `watchTask` yields it. */
  onProgress?: ((task: Task) => void) | undefined;
  /**
   * Time source for sleeps and the time limit. Default: the system clock. Pass the same clock as
   * the client's, since the time limit is also handed to each read as its `deadlineMs`.
   */
  clock?: Clock | undefined;
  /** Random source in [0, 1) for jitter. Default `Math.random`. */
  random?: (() => number) | undefined;
}

/** The part of a client that waiting needs: `client.tasks.get`. */
export type TaskReader = Pick<VideoRetalkClient, "tasks">;

// Backoff after a transient read failure: 1 s doubling, equal jitter, capped at maxIntervalMs.
const TRANSIENT_BASE_DELAY_MS = 1_000;

/**
 * Watches a task: reads it at once, then on the adaptive schedule of `nextPollDelayMs`,
 * and yields each distinct update (a change of status or progress). The iteration ends after
 * yielding the completed task; breaking out of the loop stops polling at once.
 *
 * Transient failures (connection errors, timeouts, 408, 429, 5xx) do not end the watch: it backs
 * off (honouring `Retry-After`) within `timeoutMs`. Any other error ends it. An unknown status
 * counts as still running. Every error carries `taskId`.
 *
 * @example
 * ```ts
 * for await (const task of watchTask(client, taskId)) {
 *   console.log(task.status, `${task.progress ?? 0}%`);
 * }
 * ```
 * @throws {TaskFailedError} when the task failed, or completed without a result URL
 *   (`code: "missing_results"`).
 * @throws {TaskCancelledError} when the task was cancelled.
 * @throws {WaitTimeoutError} when `timeoutMs` ran out; `task` is the last one read.
 * @throws {RequestAbortedError} (core) when `signal` aborts.
 * @throws {APIError} (core) for a non-transient HTTP error such as 401 or 404.
 */
export function watchTask(
  client: TaskReader,
  taskId: string,
  options: WatchTaskOptions = {},
): AsyncGenerator<Task, void, undefined> {
  return watchFrom(client, taskId, options, undefined);
}

/**
 * The watch loop behind {@link watchTask}. `seed` is an observation made before it started (the
 * create response in `createAndWait`): it counts as the first read, is yielded first, and the
 * first GET follows the schedule instead of coming at once. `loadSchedule` is for tests.
 *
 * @internal
 */
export async function* watchFrom(
  client: TaskReader,
  taskId: string,
  options: WatchTaskOptions,
  seed: PollObservation | undefined,
  loadSchedule: ScheduleLoader = importSchedule,
): AsyncGenerator<Task, void, undefined> {
  const { clock, random, timeoutMs, minIntervalMs, maxIntervalMs } = resolveWatchOptions(options, taskId);
  // Core wires an AbortController into each attempt only when given a signal; one is needed so
  // that the time limit tears the read in flight down instead of abandoning it.
  const signal = options.signal ?? new AbortController().signal;
  const deadlineAt = clock.now() + timeoutMs;
  // The schedule starts loading now, alongside the first read (see schedule-loader.ts).
  const nextPollDelayMs = scheduleDelays(loadSchedule, { minIntervalMs, maxIntervalMs, random, clock, signal });
  const observations: PollObservation[] = [];
  let lastTask: Task | undefined;
  let lastYielded: Task | undefined;
  let failures = 0;
  let nextReadAt = clock.now();

  // The last transient failure since the last good read, reported as the cause of a timeout.
  let lastFailure: unknown;
  const timedOut = (cause: unknown = lastFailure) => new WaitTimeoutError(taskId, timeoutMs, lastTask, { cause });

  /** Yields-or-not bookkeeping for a running task; returns whether it is a distinct update. */
  const isDistinct = (task: Task) =>
    !lastYielded || lastYielded.status !== task.status || lastYielded.progress !== task.progress;

  if (seed) {
    const task = seed.task as Task;
    lastTask = task;
    if (!isTerminalStatus(task.status)) {
      observations.push(seed);
      lastYielded = task;
      options.onProgress?.(task);
      yield task;
      nextReadAt = seed.at + (await nextPollDelayMs(observations, deadlineAt - clock.now()));
    }
  }

  for (;;) {
    const waitMs = nextReadAt - clock.now();
    if (waitMs > 0) {
      const remainingMs = deadlineAt - clock.now();
      if (remainingMs <= 0) throw timedOut();
      try {
        await sleep(clock, Math.min(waitMs, remainingMs), signal);
      } catch (reason) {
        throw new RequestAbortedError(`Waiting for task ${taskId} was aborted.`, { taskId, cause: reason });
      }
    }
    const remainingMs = deadlineAt - clock.now();
    if (remainingMs <= 0) throw timedOut();

    let task: Task;
    try {
      // One attempt per read: this loop retries transient failures itself, within the time limit.
      task = await client.tasks.get(taskId, { signal, deadlineMs: remainingMs, maxRetries: 0 });
    } catch (error) {
      if (error instanceof VideoRetalkError) error.taskId ??= taskId;
      if (error instanceof RequestAbortedError) throw error;
      if (error instanceof APITimeoutError && clock.now() >= deadlineAt) throw timedOut(error);
      if (!isTransientError(error)) throw error;
      failures++;
      lastFailure = error;
      nextReadAt = clock.now() + transientDelayMs(failures, error, minIntervalMs, maxIntervalMs, random);
      continue;
    }
    failures = 0;
    lastFailure = undefined;
    const at = clock.now();
    lastTask = task;

    const finished = terminalTaskError(task);
    if (finished) throw finished;
    if (task.status === "completed") {
      lastYielded = task;
      options.onProgress?.(task);
      yield task;
      return;
    }
    // pending, processing, and any status the SDK does not know yet: still running.
    observations.push({ at, task });
    // Progress first: the schedule may still be loading (see schedule-loader.ts), and a caller's
    // "pending" update must not wait for it.
    if (isDistinct(task)) {
      lastYielded = task;
      options.onProgress?.(task);
      yield task;
    }
    const delayMs = await nextPollDelayMs(observations, deadlineAt - clock.now());
    // Time spent by the consumer between yields counts towards the delay.
    nextReadAt = at + delayMs;
  }
}

/** Options with defaults applied. @internal */
export interface ResolvedWatchOptions {
  clock: Clock;
  random: () => number;
  timeoutMs: number;
  minIntervalMs: number;
  maxIntervalMs: number;
}

/**
 * Applies defaults and rejects impossible numbers.
 *
 * @internal
 * @throws {ValidationError} naming the option.
 */
export function resolveWatchOptions(options: WatchTaskOptions, taskId?: string): ResolvedWatchOptions {
  const timeoutMs = checkedMs("timeoutMs", options.timeoutMs, DEFAULT_WAIT_TIMEOUT_MS, taskId, true);
  const minIntervalMs = checkedMs("minIntervalMs", options.minIntervalMs, DEFAULT_MIN_INTERVAL_MS, taskId, false);
  const maxIntervalMs = checkedMs("maxIntervalMs", options.maxIntervalMs, DEFAULT_MAX_INTERVAL_MS, taskId, true);
  if (maxIntervalMs < minIntervalMs) {
    throw new ValidationError("maxIntervalMs", "maxIntervalMs must not be smaller than minIntervalMs.", { taskId });
  }
  return {
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    timeoutMs,
    minIntervalMs,
    maxIntervalMs,
  };
}

function checkedMs(
  name: string,
  value: number | undefined,
  fallback: number,
  taskId: string | undefined,
  positive: boolean,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || Number.isNaN(value) || value < 0 || (positive && value === 0)) {
    throw new ValidationError(
      name,
      `${name} must be a ${positive ? "positive" : "non-negative"} number of milliseconds, got ${String(value)}.`,
      { taskId },
    );
  }
  return value;
}

/**
 * Whether an error from reading a task is worth waiting out: core's `isTransientError` (no
 * usable response, or 408, 429, 5xx), the one rule the whole SDK applies.
 *
 * @deprecated Use `isTransientError` from `@videoretalk/core`; this is the same function.
 * @example
 * ```ts
 * import { isTransientError } from "@videoretalk/core";
 * ```
 */
export const isTransient: (error: unknown) => boolean = isTransientError;

function transientDelayMs(
  failures: number,
  error: unknown,
  minIntervalMs: number,
  maxIntervalMs: number,
  random: () => number,
): number {
  const retryAfterMs = error instanceof APIError ? error.retryAfterMs : undefined;
  if (retryAfterMs !== undefined) return Math.max(retryAfterMs, minIntervalMs);
  const step = backoffDelayMs(failures, random, {
    baseMs: Math.max(minIntervalMs, TRANSIENT_BASE_DELAY_MS),
    maxMs: maxIntervalMs,
    jitter: "equal",
  });
  return Math.max(minIntervalMs, step);
}
