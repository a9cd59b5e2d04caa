/**
 * A task's life as a pure function of the emulated time since it was created. At speed 1 a task
 * takes 30–60 s: pending for the first 10 %, then processing with progress rising with time,
 * then completed. Failed tasks stop halfway, cancelled ones at 30 %.
 */

/** How a task ends. */
export type TaskOutcome =
  | { kind: "completed" }
  | { kind: "failed"; code: string | number; message?: string }
  | { kind: "cancelled" };

/** The fixed plan of one task, in emulated seconds. */
export interface TaskPlan {
  /** How long the task would take to complete. */
  durationS: number;
  outcome: TaskOutcome;
}

/** The status and progress of a task at one instant. */
export interface TaskPhase {
  status: "pending" | "processing" | "completed" | "failed" | "cancelled";
  progress: number;
  /** Emulated seconds until the planned completion (0 once terminal). */
  remainingS: number;
}

/** Shortest and longest task at speed 1, in seconds. */
export const TASK_DURATION_RANGE_S = { min: 30, max: 60 } as const;
const PENDING_SHARE = 0.1;
const FAIL_SHARE = 0.5;
const CANCEL_SHARE = 0.3;

/** Picks a task duration in the documented range; `random` returns a number in [0, 1). */
export function planTask(outcome: TaskOutcome, random: () => number = Math.random): TaskPlan {
  const { min, max } = TASK_DURATION_RANGE_S;
  return { durationS: min + (max - min) * random(), outcome };
}

/** When the task reaches its terminal state, in emulated seconds after creation. */
export function terminalAtS(plan: TaskPlan): number {
  if (plan.outcome.kind === "failed") return plan.durationS * FAIL_SHARE;
  if (plan.outcome.kind === "cancelled") return plan.durationS * CANCEL_SHARE;
  return plan.durationS;
}

/** The task's phase `elapsedS` emulated seconds after creation. */
export function phaseAt(plan: TaskPlan, elapsedS: number): TaskPhase {
  const remainingS = Math.max(0, plan.durationS - elapsedS);
  if (elapsedS < plan.durationS * PENDING_SHARE) return { status: "pending", progress: 0, remainingS };
  if (elapsedS < terminalAtS(plan)) {
    // Progress tracks elapsed time, so a client extrapolating it predicts the end correctly.
    const progress = Math.min(95, Math.max(10, Math.floor((100 * elapsedS) / plan.durationS)));
    return { status: "processing", progress, remainingS };
  }
  if (plan.outcome.kind === "completed") return { status: "completed", progress: 100, remainingS: 0 };
  return { status: plan.outcome.kind, progress: 0, remainingS: 0 };
}
