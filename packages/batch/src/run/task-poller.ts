import {
  APIError,
  backoffDelayMs,
  type Clock,
  type CreatedTask,
  isTerminalStatus,
  isTransientError,
  type Task,
} from "@videoretalk/core";
import { nextPollDelayMs, type PollObservation } from "@videoretalk/polling/schedule";
import type { BatchClient, BatchEvent } from "./types.js";

/** Most ids in one `POST /v1/tasks/batch`. */
export const BATCH_READ_LIMIT = 50;
/** Observations kept per task besides the first (which anchors `estimated_time`). */
const KEPT_OBSERVATIONS = 12;

interface Waiter {
  taskId: string;
  observations: PollObservation[];
  dueAt: number;
  resolve: (task: Task) => void;
  reject: (error: unknown) => void;
}

/** Options of {@link TaskPoller}; `signal` stops every wait, `onEvent` hears fallbacks and read errors. */
export interface TaskPollerOptions {
  client: BatchClient;
  clock: Clock;
  random: () => number;
  minIntervalMs: number;
  maxIntervalMs: number;
  maxReadFailures: number;
  signal: AbortSignal | undefined;
  onEvent: (event: BatchEvent) => void;
}

/**
 * Waits for many tasks at once with few requests: each task keeps its own adaptive schedule
 * (`nextPollDelayMs`), and every cycle reads the tasks that are due with `tasks.getMany`, 50 ids
 * per request, topping each request up with the tasks due next (a request costs the same with 1
 * or 50 ids). So the reads of a cycle are at most ⌈waiting/50⌉. When the batch read answers 404 or
 * 405 (an API without it), the rest of the run reads tasks one by one.
 */
export class TaskPoller {
  private readonly waiting = new Map<string, Waiter>();
  private wakeUp: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private batchReads: boolean;
  private failures = 0;
  /** Read requests sent. */
  reads = 0;

  constructor(private readonly options: TaskPollerOptions) {
    this.batchReads = typeof options.client.tasks.getMany === "function";
  }

  /** Resolves with the task once it is terminal; `first` (a create answer) seeds its schedule. */
  wait(taskId: string, first?: Task | CreatedTask): Promise<Task> {
    return new Promise<Task>((resolve, reject) => {
      const now = this.options.clock.now();
      const observations: PollObservation[] = first ? [{ at: now, task: first }] : [];
      const dueAt = first ? now + this.delay(observations) : now;
      if (this.options.signal?.aborted) {
        reject(this.options.signal.reason);
        return;
      }
      this.waiting.set(taskId, { taskId, observations, dueAt, resolve, reject });
      this.ensureLoop();
      this.wakeUp?.();
    });
  }

  /**
   * Hands in a task learnt elsewhere (a callback): when it is terminal and waited on, its wait
   * resolves at once and it is read no more; a running task just counts as a fresh observation.
   */
  settle(task: Task): void {
    this.observe(task);
  }

  /** Tasks being waited on. */
  get size(): number {
    return this.waiting.size;
  }

  /** Starts the read loop unless it runs; restarts it when a wait arrived as it was ending. */
  private ensureLoop(): void {
    if (this.running) return;
    this.running = this.loop().finally(() => {
      this.running = undefined;
      if (this.waiting.size > 0) this.ensureLoop();
    });
  }

  private delay(observations: PollObservation[]): number {
    const { minIntervalMs, maxIntervalMs, random } = this.options;
    return nextPollDelayMs(observations, { minIntervalMs, maxIntervalMs, random });
  }

  private async loop(): Promise<void> {
    const { clock, signal } = this.options;
    // Let the waits registered in the same tick join the first cycle's requests.
    await this.sleepOrWake(0, false);
    while (this.waiting.size > 0) {
      if (signal?.aborted) return this.failAll(signal.reason);
      const earliest = Math.min(...[...this.waiting.values()].map((w) => w.dueAt));
      const waitMs = earliest - clock.now();
      if (waitMs > 0) {
        await this.sleepOrWake(waitMs);
        continue;
      }
      try {
        await this.cycle();
        this.failures = 0;
      } catch (error) {
        if (signal?.aborted) return this.failAll(signal.reason);
        this.failures++;
        if (!isTransientError(error) || this.failures >= this.options.maxReadFailures) return this.failAll(error);
        const retryInMs = backoffDelayMs(this.failures, this.options.random, { baseMs: 1_000, maxMs: 30_000 });
        this.options.onEvent({ type: "read-error", message: (error as Error).message, retryInMs });
        await this.sleepOrWake(retryInMs, false);
      }
    }
  }

  private failAll(error: unknown): void {
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }

  /** Sleeps `ms`, or less when a new task arrives (unless `wakeable` is false). */
  private sleepOrWake(ms: number, wakeable = true): Promise<void> {
    return new Promise<void>((resolve) => {
      const { clock, signal } = this.options;
      const done = () => {
        clock.clearTimeout(handle);
        signal?.removeEventListener("abort", done);
        this.wakeUp = undefined;
        resolve();
      };
      const handle = clock.setTimeout(done, Math.max(0, ms));
      signal?.addEventListener("abort", done, { once: true });
      if (wakeable) this.wakeUp = done;
    });
  }

  /** One cycle: the due tasks, in requests of up to 50 ids topped up with the next due. */
  private async cycle(): Promise<void> {
    const now = this.options.clock.now();
    const byDue = [...this.waiting.values()].sort((a, b) => a.dueAt - b.dueAt);
    const due = byDue.filter((w) => w.dueAt <= now).length;
    if (!this.batchReads) {
      for (const waiter of byDue.slice(0, due)) await this.readOne(waiter.taskId);
      return;
    }
    const requests = Math.ceil(due / BATCH_READ_LIMIT);
    const ids = byDue.slice(0, requests * BATCH_READ_LIMIT).map((w) => w.taskId);
    for (let start = 0; start < ids.length && this.batchReads; start += BATCH_READ_LIMIT) {
      await this.readMany(ids.slice(start, start + BATCH_READ_LIMIT));
    }
  }

  private async readMany(ids: string[]): Promise<void> {
    let tasks: Task[];
    try {
      this.reads++;
      tasks = await (this.options.client.tasks.getMany as NonNullable<BatchClient["tasks"]["getMany"]>)(ids, {
        signal: this.options.signal,
      });
    } catch (error) {
      if (error instanceof APIError && (error.status === 404 || error.status === 405)) {
        this.batchReads = false;
        this.options.onEvent({ type: "batch-reads-unavailable", status: error.status });
        for (const id of ids) await this.readOne(id);
        return;
      }
      throw error;
    }
    const seen = new Set<string>();
    for (const task of tasks) {
      seen.add(task.id);
      this.observe(task);
    }
    // An id the batch read leaves out is unknown to it: one single read says why (404 → fails).
    for (const id of ids) if (!seen.has(id)) await this.readOne(id);
  }

  private async readOne(taskId: string): Promise<void> {
    this.reads++;
    try {
      this.observe(await this.options.client.tasks.get(taskId, { signal: this.options.signal }));
    } catch (error) {
      if (error instanceof APIError && error.status === 404) {
        this.waiting.get(taskId)?.reject(error);
        this.waiting.delete(taskId);
        return;
      }
      throw error;
    }
  }

  private observe(task: Task): void {
    const waiter = this.waiting.get(task.id);
    if (!waiter) return;
    if (isTerminalStatus(task.status)) {
      this.waiting.delete(task.id);
      waiter.resolve(task);
      return;
    }
    const now = this.options.clock.now();
    waiter.observations.push({ at: now, task });
    if (waiter.observations.length > KEPT_OBSERVATIONS + 1) waiter.observations.splice(1, 1);
    waiter.dueAt = now + this.delay(waiter.observations);
  }
}
