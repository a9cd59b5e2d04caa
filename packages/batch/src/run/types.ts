import type { Clock, CreatedTask, CreateRequestOptions, LipSyncParams, RequestOptions, Task } from "@videoretalk/core";
import type { JobState, RecordedError } from "../job-model/checkpoints.js";
import type { CheckpointStore } from "../job-model/store.js";

/** A `GET /v1/credits` answer, as core's `client.credits.get()` returns it. */
export interface CreditsBalance {
  user: { remaining_credits: number; used_credits?: number };
  token?: { remaining_credits?: number; used_credits?: number; unlimited_credits?: boolean };
}

/**
 * The part of a core client a batch uses (a `createVideoRetalk()` client fits). `tasks.getMany`
 * and `credits.get` are used when present.
 */
export interface BatchClient {
  lipSync: { create(params: LipSyncParams, options?: CreateRequestOptions): Promise<CreatedTask> };
  tasks: {
    get(taskId: string, options?: RequestOptions): Promise<Task>;
    getMany?(taskIds: string[], options?: RequestOptions): Promise<Task[]>;
  };
  files: { upload(path: string, options?: { signal?: AbortSignal }): Promise<string> };
  credits?: { get(options?: RequestOptions): Promise<CreditsBalance> };
}

/** How a job ended in this run. */
export type JobOutcomeStatus =
  /** The result is on disk with a valid checksum (now, or already from an earlier run). */
  | "downloaded"
  /** The task failed or was cancelled, or the create was refused; see `error`. */
  | "failed"
  /** Not started: it would have gone over `maxCredits`, or the account ran out (402). */
  | "skipped"
  /** Not finished (network, interrupted, deadline): running the batch again continues it. */
  | "unfinished";

/** One job of the summary. */
export interface JobOutcome {
  id: string;
  status: JobOutcomeStatus;
  task_id: string | undefined;
  output: { path: string; bytes: number; sha256: string } | undefined;
  error: RecordedError | undefined;
  /** For `skipped`: why (`budget`). */
  reason?: string | undefined;
}

/** What `runBatch` resolves to; also the CLI's `--json` document. */
export interface BatchSummary {
  jobs: JobOutcome[];
  totals: {
    jobs: number;
    downloaded: number;
    failed: number;
    skipped: number;
    unfinished: number;
    /** Sum of `usage.credits_reserved` of the tasks of this batch (all runs). */
    creditsReserved: number;
    /** Create calls sent in this run (429 answers included). */
    createCalls: number;
    /** Task read requests sent in this run (one batch read counts once). */
    taskReads: number;
    /** 429 answers seen in this run. */
    rateLimited: number;
  };
  /** True when the run stopped on its `signal` (Ctrl-C). */
  interrupted: boolean;
}

/** What happens during a run, for progress displays and logs. */
export type BatchEvent =
  | {
      type: "job";
      job: string;
      /** A journal state, or how the job ended in this run. */
      state: JobState | "skipped" | "unfinished";
      taskId?: string | undefined;
      creditsReserved?: number | undefined;
      error?: RecordedError | undefined;
      /** True when this only restates an earlier run's progress (resume). */
      resumed?: boolean | undefined;
    }
  | { type: "retry-failed"; job: string; attempt: number }
  | { type: "rate-limited"; retryAfterMs: number; concurrency: number }
  | { type: "batch-reads-unavailable"; status: number }
  | { type: "read-error"; message: string; retryInMs: number };

/** Options of {@link runBatch}. */
export interface RunBatchOptions {
  /** Folder of the results; created when missing. */
  outDir: string;
  /** Checkpoint store, or the path of the JSONL journal. Default `<outDir>/.videoretalk-batch.jsonl`. */
  journal?: CheckpointStore | string | undefined;
  /** Most jobs in flight (started, not yet finished) at once. Default 16. Shrinks on 429, grows back. */
  concurrency?: number | undefined;
  /** Never start a create that could take the credits reserved by this batch over this. */
  maxCredits?: number | undefined;
  /** Start even when `GET /v1/credits` says the balance is clearly below the estimate. */
  force?: boolean | undefined;
  /** Credits one job is expected to reserve, for the pre-check and the budget before any is observed. */
  creditsPerJobEstimate?: number | undefined;
  /** Create a new task (with a new key) for jobs whose task failed or was cancelled. */
  retryFailed?: boolean | undefined;
  /** Stops the run: in-flight calls are aborted, the journal is flushed, the summary says `interrupted`. */
  signal?: AbortSignal | undefined;
  /** Called for every state change and rate-limit event. Must not throw. */
  onEvent?: ((event: BatchEvent) => void) | undefined;
  /** Let result downloads reach loopback/private addresses over http (a local emulator). Default false. */
  allowPrivateNetwork?: boolean | undefined;
  /** Polling bounds for the adaptive schedule, ms. Defaults 1 000 and 60 000. */
  minPollIntervalMs?: number | undefined;
  maxPollIntervalMs?: number | undefined;
  /** Downloads running at once. Default 4. */
  downloadConcurrency?: number | undefined;
  /** Give up (job `unfinished`) after this many transient failures of one create in a row. Default 6. */
  maxCreateRetries?: number | undefined;
  /** Stop the run (jobs `unfinished`) after this many failed task reads in a row. Default 10. */
  maxReadFailures?: number | undefined;
  /** Time source for sleeps and timestamps. Default the system clock. */
  clock?: Clock | undefined;
  /** Random source in [0, 1) for jitter. Default `Math.random`. */
  random?: (() => number) | undefined;
  /** `fetch` used for downloads. Default the global one. */
  fetch?: typeof fetch | undefined;
}
