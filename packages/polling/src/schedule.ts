import type { CreatedTask, Task } from "@videoretalk/core";

/**
 * `@videoretalk/polling/schedule`: the adaptive polling schedule, as a pure function of what has
 * been seen so far. A subpath of its own, so that `waitForTask` can load it with `import()` when a
 * wait starts instead of every page downloading it up front (see watch-task.ts). No timers and
 * no I/O here: `watchTask` sleeps for what it returns, and UI bindings (React) can feed it their
 * own observations.
 *
 * The model: completion time T is normally distributed around a prediction built from
 * `task_info.estimated_time` and the progress rate. The next read is placed as late as possible
 * while the expected detection lag it risks, given that the task was still running at the last
 * read, stays within a small budget. Far from the predicted end that allows long waits; near it
 * the waits shrink to about the prediction's uncertainty.
 */

/** One read of a task and the local time it was made. */
export interface PollObservation {
  /** Local clock time of the read, in ms (the `Clock` used for sleeping, not the task's `created`). */
  at: number;
  /** The task as read: a `tasks.get` result, or the create response. */
  task: Task | CreatedTask;
}

/** Options of {@link nextPollDelayMs}. */
export interface PollScheduleOptions {
  /** Shortest delay ever returned, in ms. Default 1 000. */
  minIntervalMs?: number | undefined;
  /** Longest delay ever returned, in ms. Default 60 000. */
  maxIntervalMs?: number | undefined;
  /** Random source in [0, 1) for jitter. Default `Math.random`. */
  random?: (() => number) | undefined;
}

// The same values as schedule-defaults.ts (which the package entry exports), written out again on
// purpose: importing them would make a one-line chunk shared with this lazily loaded one, which
// every app would then download up front. schedule.test.ts checks that the two agree.
/** Default shortest delay between reads, in ms. */
export const DEFAULT_MIN_INTERVAL_MS = 1_000;
/** Default longest delay between reads, in ms. */
export const DEFAULT_MAX_INTERVAL_MS = 60_000;

// The first look after creation: failures such as an unreachable media URL show up within
// seconds, so they are caught early at the cost of one read.
const FIRST_LOOK_MS = 2_000;
// With no `estimated_time`, assume a task takes 90 s (the documented example value) …
const PRIOR_TOTAL_MS = 90_000;
// … and trust that guess little.
const PRIOR_RELATIVE_SD = 0.6;
// How far real durations stray from `estimated_time`, as a fraction of it.
const ESTIMATE_RELATIVE_SD = 0.3;
// How far progress may depart from a straight line, as a fraction of the time left.
const PROGRESS_MODEL_RELATIVE_SD = 0.12;
// … and more when the rate is measured across the queue (`pending`), which moves at its own pace.
const PROGRESS_PENDING_RELATIVE_SD = 0.25;
// Progress at which a task completes: the docs give processing 10–80, then 100 on completion.
const PROCESSING_START_PROGRESS = 10;
const PROCESSING_END_PROGRESS = 80;
// Expected detection lag each read may risk, in ms (before jitter).
const LAG_BUDGET_MS = 400;
// Past the predicted end, the prediction is clearly off: widen it with the delay, and back off
// geometrically so a stuck task costs few reads.
const OVERDUE_SD_FACTOR = 0.5;
const OVERDUE_BACKOFF = 0.25;
// ±10 % so that many waiters started together do not read in lockstep.
const JITTER = 0.1;
const MIN_SD_MS = 200;

/** A normally distributed completion time, in local clock ms. */
/** When a task is expected to complete: local clock ms, and the standard deviation in ms. */
export interface CompletionPrediction {
  mean: number;
  sd: number;
}

/**
 * How long to wait before reading the task again, in ms, given every read so far (oldest first).
 *
 * - With no observation, returns `minIntervalMs` (callers read at once before asking).
 * - After a single fresh (`pending`) observation — typically the create response — the first
 *   look comes after about 2 s.
 * - Otherwise it predicts completion from `task_info.estimated_time` (seconds, anchored on the
 *   local time it was first seen; a later, different value counts as seconds left from that
 *   read), from the observed progress rate (processing runs from 10 to 80 %), and with neither,
 *   from a 90 s prior. It then waits as long as it can while the expected detection lag stays
 *   small, so reads are sparse early and dense only near the predicted end.
 * - The result carries ±10 % jitter and is clamped to `[minIntervalMs, maxIntervalMs]`.
 *
 * Pure: the same observations and `random` give the same delay.
 *
 * @example
 * ```ts
 * const observations = [{ at: Date.now(), task: await client.lipSync.create(params) }];
 * for (;;) {
 *   await new Promise((r) => setTimeout(r, nextPollDelayMs(observations)));
 *   const task = await client.tasks.get(observations[0].task.id);
 *   if (isTerminalStatus(task.status)) break;
 *   observations.push({ at: Date.now(), task });
 * }
 * ```
 */
export function nextPollDelayMs(observations: readonly PollObservation[], options: PollScheduleOptions = {}): number {
  const minMs = finiteOr(options.minIntervalMs, DEFAULT_MIN_INTERVAL_MS, 0);
  const maxMs = Math.max(minMs, finiteOr(options.maxIntervalMs, DEFAULT_MAX_INTERVAL_MS, 0));
  const random = options.random ?? Math.random;
  const last = observations.at(-1);
  if (!last) return minMs;

  let delay: number;
  if (observations.length === 1 && isFresh(last.task)) {
    delay = FIRST_LOOK_MS;
  } else {
    const now = last.at;
    const prediction = predictCompletion(observations);
    const overdueMs = Math.max(0, now - prediction.mean);
    const sd = Math.hypot(prediction.sd, OVERDUE_SD_FACTOR * overdueMs);
    delay = Math.max(latestSafeDelay(now, prediction.mean, sd, minMs, maxMs), OVERDUE_BACKOFF * overdueMs);
  }
  const jittered = delay * (1 + JITTER * (2 * random() - 1));
  return Math.round(Math.min(maxMs, Math.max(minMs, jittered)));
}

function finiteOr(value: number | undefined, fallback: number, min: number): number {
  return typeof value === "number" && Number.isFinite(value) && value >= min ? value : fallback;
}

/** A task that has not visibly started: the create response, or a queued task at 0 %. */
function isFresh(task: Task | CreatedTask): boolean {
  return task.status === "pending" && (task.progress ?? 0) <= 0;
}

function estimatedSeconds(task: Task | CreatedTask): number | undefined {
  const value = task.task_info?.estimated_time;
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}

function progressOf(task: Task | CreatedTask): number | undefined {
  const value = task.progress;
  return typeof value === "number" && Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : undefined;
}

/**
 * Predicts the completion time (local clock ms, with its standard deviation) from the estimate,
 * or the 90 s prior, and the progress rate, combined by inverse variance.
 *
 * @example
 * ```ts
 * const { mean } = predictCompletion([{ at: Date.now(), task: created }]);
 * console.log(`done in about ${Math.round((mean - Date.now()) / 1000)} s`);
 * ```
 */
export function predictCompletion(observations: readonly PollObservation[]): CompletionPrediction {
  const first = observations[0];
  const last = observations.at(-1);
  if (!first || !last) throw new RangeError("predictCompletion needs at least one observation");

  let guess = estimatePrediction(observations);
  if (!guess) {
    // The 90 s prior, scaled down when the first read already showed progress.
    const firstProgress = progressOf(first.task) ?? 0;
    const share = Math.max(0.1, (PROCESSING_END_PROGRESS - firstProgress) / PROCESSING_END_PROGRESS);
    const remaining = PRIOR_TOTAL_MS * share;
    guess = { mean: first.at + remaining, sd: PRIOR_RELATIVE_SD * remaining };
  }
  const measured = progressPrediction(observations);
  if (!measured) return { mean: guess.mean, sd: Math.max(MIN_SD_MS, guess.sd) };

  // An estimate that the progress contradicts is trusted less: its spread is widened until the
  // two agree within one standard deviation, so one bad estimate cannot outvote a measured rate.
  const measuredVar = Math.max(MIN_SD_MS, measured.sd) ** 2;
  const gap = guess.mean - measured.mean;
  const guessVar = Math.max(Math.max(MIN_SD_MS, guess.sd) ** 2, gap * gap - measuredVar);
  const weight = measuredVar / (measuredVar + guessVar);
  return {
    mean: measured.mean + weight * gap,
    sd: Math.sqrt((measuredVar * guessVar) / (measuredVar + guessVar)),
  };
}

/**
 * `estimated_time` anchored on the local time it was first seen. Only a value that differs from
 * the current anchor moves it: gateways often echo the create response's value unchanged.
 */
function estimatePrediction(observations: readonly PollObservation[]): CompletionPrediction | undefined {
  let anchorSeconds: number | undefined;
  let result: CompletionPrediction | undefined;
  for (const { at, task } of observations) {
    const seconds = estimatedSeconds(task);
    if (seconds === undefined || seconds === anchorSeconds) continue;
    anchorSeconds = seconds;
    result = { mean: at + seconds * 1000, sd: ESTIMATE_RELATIVE_SD * seconds * 1000 };
  }
  return result;
}

/**
 * Extrapolates the progress line to the completing progress. Reported progress is a whole
 * number rounded down, so the rate carries ±1 unit of error at each end.
 */
function progressPrediction(observations: readonly PollObservation[]): CompletionPrediction | undefined {
  const points: { at: number; progress: number }[] = [];
  for (const { at, task } of observations) {
    const progress = progressOf(task);
    if (progress !== undefined) points.push({ at, progress });
  }
  const last = points.at(-1);
  // While queued (0–10 %), progress says nothing about how fast processing will go.
  if (!last || last.progress < PROCESSING_START_PROGRESS) return undefined;
  // Prefer a rate measured within processing; the queue before it moves at another pace.
  const processing = points.find((p) => p.progress >= PROCESSING_START_PROGRESS && p.at < last.at);
  let base = processing && last.progress > processing.progress ? processing : undefined;
  let modelSd = PROGRESS_MODEL_RELATIVE_SD;
  if (!base) {
    const earliest = points[0];
    if (!earliest || earliest.at >= last.at || last.progress <= earliest.progress) return undefined;
    base = earliest;
    modelSd = PROGRESS_PENDING_RELATIVE_SD;
  }
  const gained = last.progress - base.progress;
  const ratePerMs = gained / (last.at - base.at);
  const target = last.progress < PROCESSING_END_PROGRESS ? PROCESSING_END_PROGRESS : 100;
  // The true progress lies in [p, p + 1): aim from the middle of the last unit.
  const unitsLeft = Math.max(0, target - last.progress - 0.5);
  const remainingMs = unitsLeft / ratePerMs;
  const unitMs = 1 / ratePerMs;
  // Rate error: the difference of two uniform rounding errors (sd √(1/6) units) over `gained`.
  const rateRelativeSd = Math.sqrt(1 / 6) / gained;
  const sd = Math.sqrt((remainingMs * rateRelativeSd) ** 2 + (unitMs * 0.29) ** 2 + (remainingMs * modelSd) ** 2);
  return { mean: last.at + remainingMs, sd };
}

/**
 * The longest delay in `[minMs, maxMs]` whose expected detection lag, given that the task was
 * still running at `now`, stays within the lag budget.
 */
function latestSafeDelay(now: number, mean: number, sd: number, minMs: number, maxMs: number): number {
  const s = Math.max(MIN_SD_MS, sd);
  const alpha = (now - mean) / s;
  const stillRunning = 1 - normalCdf(alpha);
  if (stillRunning < 1e-12) return minMs;
  const expectedLag = (delay: number): number => {
    const t = now + delay;
    const beta = (t - mean) / s;
    const lag = (t - mean) * (normalCdf(beta) - normalCdf(alpha)) + s * (normalPdf(beta) - normalPdf(alpha));
    return lag / stillRunning;
  };
  if (expectedLag(maxMs) <= LAG_BUDGET_MS) return maxMs;
  if (expectedLag(minMs) >= LAG_BUDGET_MS) return minMs;
  let lo = minMs;
  let hi = maxMs;
  for (let i = 0; i < 40 && hi - lo > 1; i++) {
    const mid = (lo + hi) / 2;
    if (expectedLag(mid) <= LAG_BUDGET_MS) lo = mid;
    else hi = mid;
  }
  return lo;
}

function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** Φ(z), via the Abramowitz–Stegun 7.1.26 erf approximation (error < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
