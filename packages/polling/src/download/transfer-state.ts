import { backoffDelayMs } from "@videoretalk/core";
import { DownloadError } from "../errors.js";
import { sleepOrAbort, untilAborted } from "./abort.js";
import type { DownloadNetwork } from "./network.js";
import type { DownloadSettings } from "./options.js";
import type { DownloadSource } from "./source.js";

/** Where the bytes go. `write` resolves when the destination can take more (backpressure). */
export interface DownloadSink {
  write(chunk: Uint8Array): Promise<void>;
  /** Drops everything written so far, so the download can start over; `false` when impossible. */
  restart(): Promise<boolean>;
  /** Why `restart()` is impossible, for the error message. */
  readonly cannotRestartReason?: string;
}

/** What one download works with; fixed for its whole life. */
export interface TransferContext {
  source: DownloadSource;
  sink: DownloadSink;
  settings: DownloadSettings;
  network: DownloadNetwork;
  /** How old the task was when the download started, for `ResultExpiredError`. */
  taskAgeMs: number | undefined;
}

/** What the download knows so far; carried across attempts. */
export interface TransferState {
  /** Bytes handed to the sink. */
  received: number;
  /** The result's size, once a response announced it. */
  total: number | undefined;
  /** The ETag of the bytes held, to notice a result that changed between attempts. */
  etag: string | undefined;
  contentType: string | undefined;
  /** Extra requests made so far (resumes and restarts). */
  resumes: number;
  /** Whether any attempt got a response: decides between a connection and a download error. */
  anyResponse: boolean;
  /** Why the last attempt broke off. */
  lastError: unknown;
  /** `received` at the last progress report. */
  lastReported: number;
}

export function newTransferState(): TransferState {
  return {
    received: 0,
    total: undefined,
    etag: undefined,
    contentType: undefined,
    resumes: 0,
    anyResponse: false,
    lastError: undefined,
    lastReported: -1,
  };
}

/** Tells `onProgress` where the download stands. */
export function reportProgress(ctx: TransferContext, state: TransferState): void {
  state.lastReported = state.received;
  ctx.settings.onProgress?.({ receivedBytes: state.received, totalBytes: state.total });
}

/**
 * Empties the sink so the whole result can be written again.
 *
 * @throws {DownloadError} the sink cannot be rewound (a `WritableStream`).
 */
export async function startOver(ctx: TransferContext, state: TransferState, why: string): Promise<void> {
  const restarted = await untilAborted(ctx.sink.restart(), ctx.settings.signal, ctx.source);
  if (!restarted) {
    throw new DownloadError(
      `${why}, and the download cannot start over: ${ctx.sink.cannotRestartReason ?? "the destination cannot be rewound"}.`,
      { bytesReceived: state.received, expectedBytes: state.total, taskId: ctx.source.taskId },
    );
  }
  state.received = 0;
  state.total = undefined;
  state.etag = undefined;
  reportProgress(ctx, state);
}

/** Whether another request is allowed after a dropped or refused attempt. */
export function hasRetriesLeft(ctx: TransferContext, state: TransferState): boolean {
  return state.resumes < ctx.settings.maxRetries;
}

// Waits between resumes: the first is immediate (a single reset is the common case), then
// 250 ms doubling to 4 s, with equal jitter so many clients do not come back in lockstep.
const RESUME_BASE_DELAY_MS = 250;
const RESUME_MAX_DELAY_MS = 4_000;

/** The wait before resume number `resume` (1-based). */
export function resumeDelayMs(resume: number, random: () => number = Math.random): number {
  if (resume <= 1) return 0;
  return backoffDelayMs(resume - 1, random, {
    baseMs: RESUME_BASE_DELAY_MS,
    maxMs: RESUME_MAX_DELAY_MS,
    jitter: "equal",
  });
}

/** The resume step: counts the resume, then waits its backoff (an abort ends the wait at once). */
export async function waitBeforeResume(ctx: TransferContext, state: TransferState): Promise<void> {
  state.resumes += 1;
  await sleepOrAbort(ctx.settings.clock, resumeDelayMs(state.resumes), ctx.settings.signal, ctx.source);
}

/** A readable one-line reason, with the cause's message when there is one. */
export function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const inner = cause instanceof Error ? ` (${cause.message})` : "";
    return `${error.message}${inner}`;
  }
  return String(error);
}
