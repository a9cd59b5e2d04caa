import type { CreatedTask, Task } from "@videoretalk/core";
import { isTerminalStatus } from "@videoretalk/core";
import { type PollObservation, predictCompletion } from "@videoretalk/polling/schedule";

/**
 * Turns the reads of a task into a time-left estimate and a smoothly rising progress value, so a
 * progress bar moves between the (deliberately sparse) reads of the polling schedule.
 */
export interface EtaTracker {
  observe(task: Task | CreatedTask): void;
  /** Milliseconds until the predicted completion, or undefined before any running read. */
  remainingMs(): number | undefined;
  /** The last progress read, extrapolated towards the predicted completion (never past 99). */
  displayProgress(): number;
}

export function createEtaTracker(now: () => number = Date.now): EtaTracker {
  const observations: PollObservation[] = [];
  const last = () => observations.at(-1);
  const running = () => {
    const task = last()?.task;
    return task !== undefined && !isTerminalStatus(task.status);
  };
  return {
    observe(task) {
      observations.push({ at: now(), task });
    },
    remainingMs() {
      if (!running()) return undefined;
      return Math.max(0, predictCompletion(observations).mean - now());
    },
    displayProgress() {
      const latest = last();
      const progress = latest?.task.progress ?? 0;
      if (!latest || !running()) return progress;
      const { mean } = predictCompletion(observations);
      const span = mean - latest.at;
      if (span <= 0) return Math.max(progress, 99);
      const share = Math.min(1, (now() - latest.at) / span);
      return Math.min(99, Math.floor(progress + share * (99 - progress)));
    },
  };
}

/** `~42 s left`, `~3 min left`. */
export function formatRemaining(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 90) return `~${seconds} s left`;
  return `~${Math.round(seconds / 60)} min left`;
}
