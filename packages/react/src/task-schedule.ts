import { APIError, backoffDelayMs, isTerminalStatus, isTransientError, type Task } from "@videoretalk/core";
import {
  DEFAULT_MAX_INTERVAL_MS,
  DEFAULT_MIN_INTERVAL_MS,
  nextPollDelayMs,
  type PollObservation,
} from "@videoretalk/polling/schedule";

/**
 * Glue between TanStack Query's `refetchInterval` / `staleTime` / `retry` callbacks and the
 * polling package's pure schedule. Every successful read of a task query is an observation; the
 * schedule turns the observations into the delay before the next read.
 *
 * A lazy chunk: only task-schedule-loader.ts imports this module (with `import()`); everything
 * else imports types only, since a by-value import would pull it (and the polling schedule)
 * into the initial load.
 */

/**
 * Bounds of the polling schedule; both default to the polling package's (1 s and 60 s).
 *
 * @example
 * ```ts
 * useTask(taskId, { minIntervalMs: 2_000, maxIntervalMs: 15_000 } satisfies PollIntervalOptions);
 * ```
 */
export interface PollIntervalOptions {
  /** Shortest delay between two reads of a running task, in ms. Default 1 000. */
  minIntervalMs?: number | undefined;
  /** Longest delay between two reads of a running task, in ms. Default 60 000. */
  maxIntervalMs?: number | undefined;
}

/** The part of a TanStack `Query` the schedule reads; structural, so any v5 release fits. */
export interface ObservedQuery {
  state: {
    data: Task | undefined;
    dataUpdatedAt: number;
    status: "pending" | "error" | "success";
    error: unknown;
  };
}

interface PollState {
  /** Every read seen so far, oldest first, stamped with the local time it arrived. */
  observations: PollObservation[];
  /**
   * The delay drawn for the newest observation and the bounds in force (drawn once: the
   * schedule adds jitter); `key` is the observation's time and the bounds.
   */
  delay?: { key: string; ms: number };
}

// Keyed by TanStack's Query object, so the observations live exactly as long as the cached
// query: every observer of one task shares them, and a query removed from the cache starts over.
const pollStates = new WeakMap<object, PollState>();

// While reads keep failing with transient errors (after TanStack's own retries), wait this long
// before the next try, within the min/max bounds.
const ERROR_BACKOFF_MS = 5_000;

function bounds(options: PollIntervalOptions): { minIntervalMs: number; maxIntervalMs: number } {
  const min = options.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS;
  const max = options.maxIntervalMs ?? DEFAULT_MAX_INTERVAL_MS;
  return { minIntervalMs: Math.max(0, min), maxIntervalMs: Math.max(0, min, max) };
}

/** Records the query's current data as an observation if it is newer than the last one. */
function observe(query: ObservedQuery): PollState {
  let state = pollStates.get(query);
  if (!state) {
    state = { observations: [] };
    pollStates.set(query, state);
  }
  const { data, dataUpdatedAt } = query.state;
  const last = state.observations.at(-1);
  if (data !== undefined && (!last || dataUpdatedAt > last.at)) {
    state.observations.push({ at: dataUpdatedAt, task: data });
  }
  return state;
}

/** The scheduled delay after the newest observation, in ms, or undefined before the first read. */
function scheduledDelay(query: ObservedQuery, options: PollIntervalOptions): { at: number; ms: number } | undefined {
  const state = observe(query);
  const last = state.observations.at(-1);
  if (!last) return undefined;
  const { minIntervalMs, maxIntervalMs } = bounds(options);
  const key = `${last.at} ${minIntervalMs} ${maxIntervalMs}`;
  if (state.delay?.key !== key) {
    state.delay = { key, ms: nextPollDelayMs(state.observations, { minIntervalMs, maxIntervalMs }) };
  }
  return { at: last.at, ms: state.delay.ms };
}

/**
 * `refetchInterval` for a task query: the schedule's delay counted from the newest read, `false`
 * once the task is terminal or a read failed for good (404, 401, …).
 */
export function taskRefetchInterval(query: ObservedQuery, options: PollIntervalOptions): number | false {
  const { data, status, error } = query.state;
  if (data !== undefined && isTerminalStatus(data.status)) return false;
  const { minIntervalMs, maxIntervalMs } = bounds(options);
  if (status === "error") {
    if (!isTransientError(error)) return false;
    return Math.min(maxIntervalMs, Math.max(minIntervalMs, ERROR_BACKOFF_MS));
  }
  const delay = scheduledDelay(query, options);
  if (!delay) return Math.max(1, minIntervalMs);
  // TanStack restarts the interval on every query update (fetch start, data, focus…), so return
  // what is left of the delay rather than the whole delay. Never less than the minimum, so a
  // hidden tab — where the interval fires but does not fetch — is not woken up in a tight loop.
  return Math.max(1, minIntervalMs, Math.round(delay.at + delay.ms - Date.now()));
}

/**
 * `staleTime` for a task query: a terminal task never changes, a running one is fresh until its
 * next scheduled read (so a remount or a focus event does not read it early).
 */
export function taskStaleTime(query: ObservedQuery, options: PollIntervalOptions): number {
  const { data } = query.state;
  if (data === undefined) return 0;
  if (isTerminalStatus(data.status)) return Number.POSITIVE_INFINITY;
  return scheduledDelay(query, options)?.ms ?? 0;
}

/** How many times TanStack Query retries a failed read (the client itself does not retry it). */
export const TASK_QUERY_RETRIES = 3;

/** TanStack `retry`: only transient failures (connection, timeout, 408, 429, 5xx), a few times. */
export function retryTransient(failureCount: number, error: unknown): boolean {
  return failureCount < TASK_QUERY_RETRIES && isTransientError(error);
}

/** TanStack `retryDelay`: the server's `Retry-After` when it sent one, else 1 s doubling to 30 s. */
export function transientRetryDelayMs(failureCount: number, error: unknown): number {
  // A Retry-After is honoured up to the same 30 s cap as core's own retries: a server asking for
  // a day must not freeze the page.
  if (error instanceof APIError && error.retryAfterMs !== undefined)
    return Math.min(error.retryAfterMs, MAX_RETRY_DELAY_MS);
  // Core's one backoff formula; no jitter here, TanStack's retries are per browser tab already.
  return backoffDelayMs(failureCount + 1, Math.random, TRANSIENT_BACKOFF);
}

/** The longest wait between retries of a failed read, in ms. */
export const MAX_RETRY_DELAY_MS = 30_000;

const TRANSIENT_BACKOFF = { baseMs: 1_000, maxMs: MAX_RETRY_DELAY_MS, jitter: "none" } as const;
