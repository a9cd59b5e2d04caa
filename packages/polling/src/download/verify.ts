import { DownloadError, DownloadTooLargeError, ResultExpiredError } from "../errors.js";
import { discard, fullLength, parseContentRange, parseLength } from "./http-headers.js";
import { hasRetriesLeft, startOver, type TransferContext, type TransferState } from "./transfer-state.js";

// Statuses the result host uses for a link that is gone: result URLs are valid for 24 hours
// (spec/videoretalk.openapi.yaml, `results`).
const EXPIRED_STATUSES = new Set([403, 404, 410]);

/**
 * What to do with a response: `write` its body, the download is `complete` already (a 416 that
 * says every byte is here), or `retry` at once (the sink was emptied to start over).
 */
export type Verdict = "write" | "complete" | "retry";

/**
 * The verify step: decides what a response means before a byte of its body is read, and
 * updates `state` (total, ETag, content type) for the write step.
 *
 * @throws {ResultExpiredError} 403, 404 or 410.
 * @throws {DownloadTooLargeError} the announced size is over `maxBytes`.
 * @throws {DownloadError} any other HTTP error, a resume that cannot be used, or one that cannot
 *   start over.
 */
export async function verifyResponse(
  ctx: TransferContext,
  state: TransferState,
  response: Response,
  resuming: boolean,
): Promise<Verdict> {
  const { source } = ctx;
  const status = response.status;
  if (EXPIRED_STATUSES.has(status)) {
    discard(response);
    throw new ResultExpiredError({ status, taskId: source.taskId, taskAgeMs: ctx.taskAgeMs });
  }
  if (resuming && status === 416) return verifyUnsatisfiable(ctx, state, response);
  if (status < 200 || status > 299) {
    discard(response);
    throw new DownloadError(
      `Downloading the result failed: HTTP ${status}${response.statusText ? ` ${response.statusText}` : ""}.`,
      { status, bytesReceived: state.received, expectedBytes: state.total, taskId: source.taskId },
    );
  }
  if (status === 206) {
    if (!(await verifyPartial(ctx, state, response, resuming))) return "retry";
  } else {
    await verifyFull(ctx, state, response, resuming);
  }
  refuseOversize(ctx, state, response);
  state.contentType ??= response.headers.get("content-type") ?? undefined;
  return "write";
}

/** A 416 to a resume: complete when the server's total is exactly what we hold. */
function verifyUnsatisfiable(ctx: TransferContext, state: TransferState, response: Response): Verdict {
  const range = parseContentRange(response.headers.get("content-range"));
  discard(response);
  // The server says there is nothing past `received`: we already have the whole file.
  if (range && "unsatisfiedTotal" in range && range.unsatisfiedTotal === state.received && state.total === undefined) {
    state.total = state.received;
    return "complete";
  }
  throw new DownloadError(`Resuming at byte ${state.received} failed: HTTP 416 Range Not Satisfiable.`, {
    status: 416,
    bytesReceived: state.received,
    expectedBytes: state.total,
    taskId: ctx.source.taskId,
  });
}

/**
 * A 206: usable when it starts at `received` and belongs to the same result. Otherwise the sink
 * is emptied to start over (resolves `false`), or the download fails when no retry is left.
 */
async function verifyPartial(
  ctx: TransferContext,
  state: TransferState,
  response: Response,
  resuming: boolean,
): Promise<boolean> {
  const { source, settings } = ctx;
  if (!resuming) {
    discard(response);
    throw new DownloadError("The server answered 206 Partial Content to a request without Range.", {
      status: 206,
      bytesReceived: 0,
      taskId: source.taskId,
    });
  }
  const range = parseContentRange(response.headers.get("content-range"));
  let matches: boolean;
  if (range && "first" in range) {
    matches =
      range.first === state.received &&
      (range.total === undefined || state.total === undefined || range.total === state.total) &&
      (range.total === undefined || range.last === range.total - 1);
    if (matches && state.total === undefined && range.total !== undefined) state.total = range.total;
  } else {
    // Browsers hide Content-Range unless the host exposes it; fall back to the length.
    const length = parseLength(response.headers.get("content-length"));
    matches = state.total !== undefined && length === state.total - state.received;
  }
  const responseEtag = response.headers.get("etag") ?? undefined;
  const changed = state.etag !== undefined && responseEtag !== undefined && responseEtag !== state.etag;
  if (matches && !changed) return true;

  discard(response);
  const why = changed
    ? "The result changed on the server while downloading (ETag differs)"
    : `The resumed response does not start at byte ${state.received} (Content-Range: ${response.headers.get("content-range") ?? "none"})`;
  if (!hasRetriesLeft(ctx, state)) {
    throw new DownloadError(`${why}; no retries left to start over (maxRetries ${settings.maxRetries}).`, {
      status: 206,
      bytesReceived: state.received,
      expectedBytes: state.total,
      taskId: source.taskId,
    });
  }
  await startOver(ctx, state, why);
  state.resumes += 1;
  return false;
}

/** A 200: the whole result. To a resume, the server ignored `Range` (RFC 9110 §14.2 allows it). */
async function verifyFull(
  ctx: TransferContext,
  state: TransferState,
  response: Response,
  resuming: boolean,
): Promise<void> {
  if (resuming) {
    try {
      await startOver(
        ctx,
        state,
        `The server ignored the resume request (Range: bytes=${state.received}-) and sent the whole file`,
      );
    } catch (error) {
      discard(response);
      throw error;
    }
  }
  state.total = fullLength(response);
  state.etag = response.headers.get("etag") ?? undefined;
}

/** Refuses a result whose announced size is over `maxBytes`, before its body is read. */
function refuseOversize(ctx: TransferContext, state: TransferState, response: Response): void {
  if (state.total === undefined || state.total <= ctx.settings.maxBytes) return;
  discard(response);
  throw new DownloadTooLargeError({
    maxBytes: ctx.settings.maxBytes,
    bytesReceived: state.received,
    expectedBytes: state.total,
    taskId: ctx.source.taskId,
  });
}
