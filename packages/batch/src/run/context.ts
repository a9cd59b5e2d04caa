import type { Clock } from "@videoretalk/core";
import type { Checkpoint, RecordedError } from "../job-model/checkpoints.js";
import type { CheckpointStore } from "../job-model/store.js";
import type { Budget } from "./budget.js";
import type { RateControl, Semaphore } from "./rate-control.js";
import type { TaskPoller } from "./task-poller.js";
import type { BatchClient, BatchEvent } from "./types.js";

/** What every job of one run shares. */
export interface RunContext {
  client: BatchClient;
  store: CheckpointStore;
  outDir: string;
  clock: Clock;
  random: () => number;
  /** Aborted on the caller's signal, or when the run must stop (the store failed). */
  signal: AbortSignal;
  rate: RateControl;
  budget: Budget;
  poller: TaskPoller;
  downloads: Semaphore;
  /** One upload per local file per run, whichever job needs it first. */
  uploads: Map<string, Promise<string>>;
  emit: (event: BatchEvent) => void;
  stats: { createCalls: number; rateLimited: number };
  retryFailed: boolean;
  maxCreateRetries: number;
  allowPrivateNetwork: boolean | undefined;
  fetch: typeof fetch | undefined;
}

/** Writes a checkpoint; the step that follows starts only once it is durable. */
/** A checkpoint without its timestamp (distributes over the union). */
export type CheckpointInput = Checkpoint extends infer C ? (C extends Checkpoint ? Omit<C, "at"> : never) : never;

export async function record(ctx: RunContext, checkpoint: CheckpointInput): Promise<void> {
  await ctx.store.append({ ...checkpoint, at: ctx.clock.now() } as Checkpoint);
}

/** An error as the journal and the summary keep it: a code and a message, nothing else. */
export function recordedError(error: unknown): RecordedError {
  if (error !== null && typeof error === "object") {
    const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
    // An abort (Ctrl-C) surfaces as the signal's DOMException, whose numeric `code` says nothing.
    if (name === "AbortError" || name === "RequestAbortedError")
      return { code: "interrupted", message: "stopped before it finished" };
    return {
      code: code !== undefined && code !== null ? String(code) : typeof name === "string" ? name : "error",
      message: typeof message === "string" ? message : String(error),
    };
  }
  return { code: "error", message: String(error) };
}
