import { type Clock, RequestAbortedError, sleep } from "@videoretalk/core";
import type { DownloadSource } from "./source.js";

/** The error for an abort; `cause` is the signal's reason. */
export function abortError(signal: AbortSignal, source?: DownloadSource): RequestAbortedError {
  return new RequestAbortedError("The download was aborted.", { cause: signal.reason, taskId: source?.taskId });
}

/**
 * Settles like `promise`, or rejects with `abortError` as soon as `signal` aborts, whichever
 * comes first. Used around every await so a `fetch` or destination that ignores the signal
 * cannot hold the caller.
 */
export function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  source: DownloadSource,
): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(abortError(signal, source));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {});
      reject(abortError(signal, source));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** Waits `ms` on `clock`; an abort ends the wait at once and clears its timer. */
export async function sleepOrAbort(
  clock: Clock,
  ms: number,
  signal: AbortSignal | undefined,
  source: DownloadSource,
): Promise<void> {
  if (ms <= 0) return;
  try {
    await sleep(clock, ms, signal);
  } catch {
    throw abortError(signal as AbortSignal, source);
  }
}
