import type { Clock } from "@videoretalk/core";

/** One attempt's abort signal, fired by the caller's signal or by a silent connection. */
export interface Watchdog {
  readonly signal: AbortSignal;
  /** Something arrived: restart the idle clock. */
  touch(): void;
  /** Waiting on the destination, not the connection: stop the idle clock. */
  pause(): void;
  /** The attempt is over: clear the timer and stop following the caller's signal. */
  stop(): void;
}

/**
 * Starts one attempt's watchdog: its signal follows the caller's, and fires by itself when the
 * connection stays silent for `idleMs` (`0` or `Infinity`: never), so a host that stops
 * sending cannot hang the download.
 */
export function startWatchdog(signal: AbortSignal | undefined, idleMs: number, clock: Clock): Watchdog {
  const controller = new AbortController();
  let timer: unknown;
  let armed = false;
  const onAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted) controller.abort(signal.reason);
  else signal?.addEventListener("abort", onAbort, { once: true });
  const pause = () => {
    if (armed) clock.clearTimeout(timer);
    armed = false;
  };
  const touch = () => {
    pause();
    if (idleMs > 0 && Number.isFinite(idleMs)) {
      armed = true;
      timer = clock.setTimeout(() => {
        armed = false;
        controller.abort(new Error(`the connection delivered nothing for ${idleMs} ms`));
      }, idleMs);
    }
  };
  touch();
  return {
    signal: controller.signal,
    touch,
    pause,
    stop: () => {
      pause();
      signal?.removeEventListener("abort", onAbort);
    },
  };
}
