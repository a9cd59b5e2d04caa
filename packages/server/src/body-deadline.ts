import type { Clock } from "@videoretalk/core";

/**
 * Body-read deadlines that a route sets for itself. The node adapter's `bodyTimeoutMs` (30 s from
 * the request's arrival) suits small JSON bodies; the upload route takes up to 100 MB, so it
 * hands the adapter's deadline back ({@link releaseAdapterBodyDeadline}) and reads its body
 * through {@link deadlineBody}: a limit on silence between chunks plus a generous total.
 */

/** A body that stopped arriving in time; the route answers it 408. */
export class BodyTimeoutError extends Error {
  constructor(readonly kind: "idle" | "total") {
    super(kind === "idle" ? "The client stopped sending the request body." : "The request body took too long.");
    this.name = "BodyTimeoutError";
  }
}

/** Where the node adapter leaves its release function on the `Request` it builds. */
const ADAPTER_DEADLINE = Symbol.for("@videoretalk/server.adapterBodyDeadline");

type WithRelease = Request & { [ADAPTER_DEADLINE]?: () => void };

/** Lets a route lift the adapter's deadline for `request` (called by `toNodeHandler`). @internal */
export function offerAdapterBodyDeadline(request: Request, release: () => void): void {
  Object.defineProperty(request, ADAPTER_DEADLINE, { value: release, enumerable: false });
}

/**
 * Stops the adapter's deadline for `request`, when it came through `toNodeHandler`; the route
 * then answers for its own deadline. A no-op in other runtimes. @internal
 */
export function releaseAdapterBodyDeadline(request: Request): void {
  (request as WithRelease)[ADAPTER_DEADLINE]?.();
}

/** Limits of {@link deadlineBody}, in ms. */
export interface BodyDeadlineOptions {
  /** Longest wait for the client's next bytes while the reader is ready for them. */
  idleTimeoutMs: number;
  /** Time from now until the whole body must have been received. */
  totalTimeoutMs: number;
  clock: Clock;
}

/**
 * `body` with deadlines. The idle timer runs only while a read is waiting on the client, so a
 * slow consumer (the upstream upload applying backpressure) never counts as a silent client.
 * On expiry the source is cancelled (a node socket stops being read) and the stream fails with
 * {@link BodyTimeoutError}.
 */
export function deadlineBody(
  body: ReadableStream<Uint8Array>,
  options: BodyDeadlineOptions,
): ReadableStream<Uint8Array> {
  const { clock, idleTimeoutMs, totalTimeoutMs } = options;
  const reader = body.getReader();
  let failed: BodyTimeoutError | undefined;
  let idleTimer: unknown;
  let fail: (error: BodyTimeoutError) => void = () => {};
  const totalTimer = clock.setTimeout(() => fail(new BodyTimeoutError("total")), totalTimeoutMs);
  const stopTimers = () => {
    clock.clearTimeout(totalTimer);
    if (idleTimer !== undefined) clock.clearTimeout(idleTimer);
    idleTimer = undefined;
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        fail = (error) => {
          if (failed) return;
          failed = error;
          stopTimers();
          reader.cancel(error).catch(() => {});
          controller.error(error);
        };
      },
      async pull(controller) {
        idleTimer = clock.setTimeout(() => fail(new BodyTimeoutError("idle")), idleTimeoutMs);
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          stopTimers();
          if (!failed) controller.error(error);
          return;
        } finally {
          if (idleTimer !== undefined) clock.clearTimeout(idleTimer);
          idleTimer = undefined;
        }
        if (failed) return;
        if (result.done) {
          stopTimers();
          controller.close();
          return;
        }
        controller.enqueue(result.value);
      },
      cancel(reason) {
        stopTimers();
        return reader.cancel(reason);
      },
    },
    // Pull only when the consumer asks, so the idle timer measures the client alone.
    { highWaterMark: 0 },
  );
}
