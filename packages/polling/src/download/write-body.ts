import { RequestAbortedError } from "@videoretalk/core";
import { DownloadError, DownloadTooLargeError } from "../errors.js";
import { abortError, untilAborted } from "./abort.js";
import { reportProgress, type TransferContext, type TransferState } from "./transfer-state.js";
import type { Watchdog } from "./watchdog.js";

/**
 * The write step: streams the body into the sink, one chunk at a time, each handed over before
 * the next is read (backpressure). Resolves `{ dropped: true }` when the connection broke off
 * mid-body (the caller may resume), `{ dropped: false }` when the body ended.
 *
 * @throws {DownloadError} more bytes than announced.
 * @throws {DownloadTooLargeError} the body grew past `maxBytes`.
 * @throws {RequestAbortedError} the caller's signal fired.
 */
export async function writeBody(
  ctx: TransferContext,
  state: TransferState,
  response: Response,
  watchdog: Watchdog,
): Promise<{ dropped: boolean }> {
  const { signal } = ctx.settings;
  const reader = response.body?.getReader();
  if (!reader) return { dropped: false };
  let drained = false;
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await untilAborted(reader.read(), signal, ctx.source);
      } catch (error) {
        if (signal?.aborted) throw abortError(signal, ctx.source);
        if (error instanceof RequestAbortedError) throw error;
        // The connection broke mid-body (undici: `TypeError: terminated`), or went silent.
        state.lastError = error;
        return { dropped: true };
      }
      watchdog.touch();
      if (chunk.done) {
        drained = true;
        return { dropped: false };
      }
      const value = chunk.value;
      if (value.byteLength === 0) continue;
      checkSize(ctx, state, value.byteLength);
      // Errors from the destination or from onProgress end the download as they are. A slow
      // destination is backpressure, not a silent connection: the idle clock stops meanwhile.
      watchdog.pause();
      await untilAborted(ctx.sink.write(value), signal, ctx.source);
      state.received += value.byteLength;
      reportProgress(ctx, state);
      watchdog.touch();
    }
  } finally {
    // Release the connection unless the body was read to its end.
    if (!drained) reader.cancel().catch(() => {});
  }
}

/** Refuses a chunk that would go past the announced size or past `maxBytes`. */
function checkSize(ctx: TransferContext, state: TransferState, chunkBytes: number): void {
  const after = state.received + chunkBytes;
  if (state.total !== undefined && after > state.total) {
    throw new DownloadError(
      `The server sent more than the ${state.total} bytes it announced (Content-Length mismatch).`,
      {
        bytesReceived: after,
        expectedBytes: state.total,
        taskId: ctx.source.taskId,
      },
    );
  }
  if (after > ctx.settings.maxBytes) {
    throw new DownloadTooLargeError({
      maxBytes: ctx.settings.maxBytes,
      bytesReceived: state.received,
      taskId: ctx.source.taskId,
    });
  }
}
