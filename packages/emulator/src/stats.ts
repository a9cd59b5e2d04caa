/** Counters of what the emulator was asked, for tests that check how a client behaved. */

/** One task the emulator created. */
export interface StatsTask {
  id: string;
  /** The `Idempotency-Key` of the create that made it, if any. */
  idempotencyKey: string | undefined;
  videoUrl: string;
}

/** A snapshot returned by `emulator.stats()` and `GET /__emulator/stats`. */
export interface EmulatorStats {
  /** Creates that made a new task. */
  createsAccepted: number;
  /** Creates answered from the idempotency store (same key and body): no new task. */
  createsReplayed: number;
  /** Creates refused with 429 by the emulator's rate limit (not by `X-Emulator-Scenario`). */
  createsRateLimited: number;
  /** Creates refused with 402 because the credit balance could not cover them. */
  createsInsufficientCredits: number;
  /** `GET /v1/tasks/{task_id}` requests. */
  taskReads: number;
  /** `POST /v1/tasks/batch` requests. */
  batchReads: number;
  /** The credit balance now. */
  credits: { remaining: number; used: number };
  /** Every task created, oldest first. */
  tasks: StatsTask[];
}

export type StatsCounter = Exclude<keyof EmulatorStats, "credits" | "tasks">;

/** The mutable counters behind {@link EmulatorStats}. */
export interface StatsRecorder {
  count(counter: StatsCounter): void;
  /** Counts an accepted create and lists its task. */
  taskCreated(task: StatsTask): void;
  snapshot(credits: { remaining: number; used: number }): EmulatorStats;
}

export function createStatsRecorder(): StatsRecorder {
  const counters: Record<StatsCounter, number> = {
    createsAccepted: 0,
    createsReplayed: 0,
    createsRateLimited: 0,
    createsInsufficientCredits: 0,
    taskReads: 0,
    batchReads: 0,
  };
  const tasks: StatsTask[] = [];
  return {
    count(counter) {
      counters[counter] += 1;
    },
    taskCreated(task) {
      counters.createsAccepted += 1;
      tasks.push(task);
    },
    snapshot: (credits) => ({ ...counters, credits: { ...credits }, tasks: tasks.map((task) => ({ ...task })) }),
  };
}
