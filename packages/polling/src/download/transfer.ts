import { APIConnectionError, RequestAbortedError } from "@videoretalk/core";
import { DownloadError, DownloadTargetRefusedError } from "../errors.js";
import { abortError } from "./abort.js";
import type { DownloadNetwork } from "./network.js";
import type { DownloadSettings } from "./options.js";
import { refusalIn, requestFollowingRedirects } from "./request.js";
import type { DownloadSource } from "./source.js";
import {
  type DownloadSink,
  describe,
  hasRetriesLeft,
  newTransferState,
  reportProgress,
  type TransferContext,
  type TransferState,
  waitBeforeResume,
} from "./transfer-state.js";
import { verifyResponse } from "./verify.js";
import { startWatchdog, type Watchdog } from "./watchdog.js";
import { writeBody } from "./write-body.js";

/** What a finished transfer reports. */
export interface TransferOutcome {
  bytes: number;
  contentType: string | undefined;
  resumes: number;
}

/**
 * The neutral download protocol. Each attempt runs the same steps:
 *
 * 1. resume: after a dropped connection, wait (the first resume at once), then ask for
 *    `Range: bytes=<received>-`;
 * 2. request: GET, following redirects by hand with every target checked (request.ts);
 * 3. verify: decide what the response means before reading its body (verify.ts);
 * 4. write: stream the body into the sink with backpressure (write-body.ts).
 *
 * An idle watchdog cuts an attempt whose connection stays silent, which then resumes like a
 * drop. No credentials of ours are sent: the link is pre-signed. The caller owns the sink (the
 * file build renames its temp file when this resolves, and deletes it when this rejects).
 */
export async function transfer(
  source: DownloadSource,
  sink: DownloadSink,
  settings: DownloadSettings,
  network: DownloadNetwork,
): Promise<TransferOutcome> {
  const taskAgeMs = source.taskCreated === undefined ? undefined : Math.max(0, Date.now() - source.taskCreated * 1000);
  const ctx: TransferContext = { source, sink, settings, network, taskAgeMs };
  const state = newTransferState();
  let watchdog: Watchdog | undefined;
  try {
    for (;;) {
      watchdog?.stop();
      if (settings.signal?.aborted) throw abortError(settings.signal, source);
      watchdog = startWatchdog(settings.signal, settings.idleTimeoutMs, settings.clock);
      const resuming = state.received > 0;

      let response: Response;
      try {
        response = await requestFollowingRedirects(ctx, state, watchdog.signal);
      } catch (error) {
        throwIfFinal(ctx, state, error);
        await waitBeforeResume(ctx, state);
        continue;
      }
      watchdog.touch();
      state.anyResponse = true;

      const verdict = await verifyResponse(ctx, state, response, resuming);
      if (verdict === "complete") break;
      if (verdict === "retry") continue;

      const { dropped } = await writeBody(ctx, state, response, watchdog);
      if (isComplete(ctx, state, dropped)) break;
      throwIfNoRetriesLeft(ctx, state);
      await waitBeforeResume(ctx, state);
    }
  } finally {
    watchdog?.stop();
  }
  if (state.lastReported !== state.received) reportProgress(ctx, state);
  return { bytes: state.received, contentType: state.contentType, resumes: state.resumes };
}

/**
 * After a request failed without a response: rethrows what retrying cannot fix (abort, refused
 * target, a protocol error), and gives up when no retry is left. Returns when it may resume.
 */
function throwIfFinal(ctx: TransferContext, state: TransferState, error: unknown): void {
  const { signal, maxRetries } = ctx.settings;
  if (signal?.aborted) throw abortError(signal, ctx.source);
  if (error instanceof RequestAbortedError || error instanceof DownloadError) throw error;
  if (error instanceof DownloadTargetRefusedError) throw error;
  const refusal = refusalIn(error);
  if (refusal) throw refusal;
  state.lastError = error;
  if (hasRetriesLeft(ctx, state)) return;
  if (!state.anyResponse) {
    throw new APIConnectionError(`Could not fetch the result: ${describe(error)}`, {
      cause: error,
      taskId: ctx.source.taskId,
    });
  }
  throw new DownloadError(
    `The download broke off after ${state.received} bytes and could not be resumed (${maxRetries} retries): ${describe(error)}`,
    { bytesReceived: state.received, expectedBytes: state.total, taskId: ctx.source.taskId, cause: error },
  );
}

/**
 * Whether the body that just ended completes the download. A connection that breaks right
 * after the last byte loses nothing.
 *
 * @throws {DownloadError} the body ended cleanly short of the announced size.
 */
function isComplete(ctx: TransferContext, state: TransferState, dropped: boolean): boolean {
  const { received, total } = state;
  if (dropped && !(total !== undefined && received === total)) return false;
  if (total !== undefined && received !== total) {
    throw new DownloadError(
      `The download ended after ${received} of ${total} bytes (Content-Length mismatch); the file is incomplete.`,
      { bytesReceived: received, expectedBytes: total, taskId: ctx.source.taskId },
    );
  }
  return true;
}

/** @throws {DownloadError} the connection dropped mid-body and no resume is left. */
function throwIfNoRetriesLeft(ctx: TransferContext, state: TransferState): void {
  if (hasRetriesLeft(ctx, state)) return;
  const { received, total, lastError } = state;
  throw new DownloadError(
    `The download broke off after ${received}${total === undefined ? "" : ` of ${total}`} bytes and could not be resumed (maxRetries ${ctx.settings.maxRetries}): ${describe(lastError)}`,
    { bytesReceived: received, expectedBytes: total, taskId: ctx.source.taskId, cause: lastError },
  );
}
