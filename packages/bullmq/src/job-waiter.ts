import type { TaskPoller } from "@videoretalk/batch";
import { type CreatedTask, isTerminalStatus, type Task } from "@videoretalk/core";

/** A finished wait: the terminal task, and whether a read (or the create's answer) or a callback ended it. */
export interface WaitOutcome {
  task: Task;
  via: "read" | "callback";
}

/** Waits for the tasks of one worker process: the batch's poller, and callbacks when they are on. */
export interface JobWaiter {
  /** Resolves with the terminal task, from whichever comes first: a read or a delivered callback. */
  wait(taskId: string, first?: Task | CreatedTask): Promise<WaitOutcome>;
  /** A verified callback delivered this task; a terminal one ends its wait. */
  deliver(task: Task): void;
}

/**
 * Joins the batch's `TaskPoller` (every waiting task read on its adaptive schedule, ≤ 50 per
 * request) with callback deliveries. With `poller` undefined (polling off) only callbacks end a
 * wait. `signal` (the worker shutting down) rejects every wait.
 */
export function createJobWaiter(poller: TaskPoller | undefined, signal: AbortSignal): JobWaiter {
  const listeners = new Map<string, Set<(task: Task) => void>>();
  return {
    wait(taskId, first) {
      if (first && isTerminalStatus(first.status)) return Promise.resolve({ task: first as Task, via: "read" });
      if (signal.aborted) return Promise.reject(signal.reason);
      return new Promise<WaitOutcome>((resolve, reject) => {
        const onTask = (task: Task) => finish(() => resolve({ task, via: "callback" }));
        const onAbort = () => finish(() => reject(signal.reason));
        let done = false;
        const finish = (settle: () => void) => {
          if (done) return;
          done = true;
          const set = listeners.get(taskId);
          set?.delete(onTask);
          if (set?.size === 0) listeners.delete(taskId);
          signal.removeEventListener("abort", onAbort);
          settle();
        };
        listeners.set(taskId, (listeners.get(taskId) ?? new Set()).add(onTask));
        signal.addEventListener("abort", onAbort, { once: true });
        poller?.wait(taskId, first).then(
          (task) => finish(() => resolve({ task, via: "read" })),
          (error) => finish(() => reject(error)),
        );
      });
    },
    deliver(task) {
      if (!isTerminalStatus(task.status)) return;
      for (const listener of [...(listeners.get(task.id) ?? [])]) listener(task);
    },
  };
}
