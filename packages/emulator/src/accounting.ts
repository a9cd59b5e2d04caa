import { apiErrorBody } from "./api-errors.js";
import type { EmulatorClock } from "./clock.js";
import { type CreditLedger, createCreditLedger, UNLIMITED_CREDITS } from "./credits.js";
import type { JsonReply } from "./files-api.js";
import {
  checkRateLimitOptions,
  createRateLimiter,
  type RateLimiter,
  type RateLimitOptions,
  retryAfterHeader,
} from "./rate-limit.js";
import { createStatsRecorder, type EmulatorStats, type StatsCounter } from "./stats.js";
import type { TaskRecord, TaskStore } from "./task-store.js";

/**
 * What the emulator meters across requests: the credit balance, the rate limit on creates and
 * the counters of `emulator.stats()`. The routes call it; it owns no HTTP.
 */
export interface Accounting {
  /** Per-second limit, checked for every create request: a 429 reply, or `undefined` to go on. */
  admitCreateRequest(): JsonReply | undefined;
  /** Running-tasks cap and balance, checked only when a create would make a new task. */
  admitNewTask(credits: number): JsonReply | undefined;
  taskCreated(task: TaskRecord, idempotencyKey: string | undefined): void;
  count(counter: StatsCounter): void;
  creditBalance(): { remaining: number; used: number };
  stats(): EmulatorStats;
}

/** The accounting options of `startEmulator`. */
export interface AccountingOptions {
  /** Starting credit balance; default effectively unlimited (1 000 000 000). */
  credits?: number;
  rateLimit?: RateLimitOptions;
}

/** Checks the options; throws `RangeError`/`TypeError` naming the bad one. */
export function checkAccountingOptions(options: AccountingOptions): { credits: number; rateLimit: RateLimitOptions } {
  const credits = options.credits ?? UNLIMITED_CREDITS;
  if (typeof credits !== "number" || !Number.isFinite(credits) || credits < 0) {
    throw new RangeError(`credits must be a number ≥ 0, got ${String(options.credits)}.`);
  }
  return { credits, rateLimit: checkRateLimitOptions(options.rateLimit) };
}

function tooManyRequests(retryAfterMs: number, speed: number, message: string): JsonReply {
  return {
    status: 429,
    body: apiErrorBody("create", 429, { message }),
    headers: { "Retry-After": retryAfterHeader(retryAfterMs, speed) },
  };
}

export function createAccounting(
  options: AccountingOptions,
  env: { clock: EmulatorClock; speed: number; tasks: TaskStore },
): Accounting {
  const { credits, rateLimit } = checkAccountingOptions(options);
  const { clock, speed, tasks } = env;
  const ledger: CreditLedger = createCreditLedger(credits);
  const limiter: RateLimiter = createRateLimiter(rateLimit, speed);
  const recorder = createStatsRecorder();

  return {
    admitCreateRequest() {
      const limited = limiter.admitRequest(clock.now());
      if (!limited) return undefined;
      recorder.count("createsRateLimited");
      return tooManyRequests(
        limited.retryAfterMs,
        speed,
        `Too many requests: at most ${rateLimit.createsPerSecond} creates per second`,
      );
    },
    admitNewTask(needed) {
      const now = clock.now();
      const limited = limiter.admitTask(now);
      if (limited) {
        recorder.count("createsRateLimited");
        return tooManyRequests(
          limited.retryAfterMs,
          speed,
          `Too many running tasks: at most ${rateLimit.maxRunningTasks} pending or processing`,
        );
      }
      if (!ledger.covers(needed, now)) {
        recorder.count("createsInsufficientCredits");
        return { status: 402, body: apiErrorBody("create", 402) };
      }
      return undefined;
    },
    taskCreated(task, idempotencyKey) {
      const terminalAtMs = task.createdAtMs + tasks.terminalDelayMs(task);
      const outcome = task.plan.outcome.kind;
      ledger.reserve({ credits: task.creditsReserved, terminalAtMs, refundable: outcome !== "completed" });
      limiter.taskStarted(terminalAtMs);
      recorder.taskCreated({ id: task.id, idempotencyKey, videoUrl: task.params.video_url });
    },
    count: (counter) => recorder.count(counter),
    creditBalance: () => ledger.balance(clock.now()),
    stats: () => recorder.snapshot(ledger.balance(clock.now())),
  };
}
