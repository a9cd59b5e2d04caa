import type { CreatedTask, Task } from "@videoretalk/core";
import cliProgress from "cli-progress";
import { createEtaTracker, formatRemaining } from "./eta.js";
import { formatBytes } from "./format.js";
import { terminalSafe } from "./terminal-text.js";

/** How the CLI shows what it is doing. Everything goes to stderr, so stdout stays clean. */
export interface ProgressView {
  upload(label: string, sentBytes: number, totalBytes: number | undefined): void;
  task(task: Task | CreatedTask): void;
  download(receivedBytes: number, totalBytes: number | undefined): void;
  /** A one-off line (e.g. "created task …"). */
  note(message: string): void;
  stop(): void;
}

type Stream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/** Nothing at all: `--json` promises machine-readable output only. */
export function silentProgress(): ProgressView {
  return { upload() {}, task() {}, download() {}, note() {}, stop() {} };
}

/** Plain lines for logs and pipes: one per status change or 10 % step. */
export function lineProgress(stream: Stream): ProgressView {
  const lastStep = new Map<string, number>();
  const step = (key: string, percent: number) => {
    const bucket = Math.floor(percent / 10);
    if (lastStep.get(key) === bucket) return false;
    lastStep.set(key, bucket);
    return true;
  };
  let lastTask = "";
  const eta = createEtaTracker();
  return {
    upload(label, sent, total) {
      if (total && !step(`upload:${label}`, (sent / total) * 100)) return;
      stream.write(`upload ${label}: ${formatBytes(sent)}${total ? ` of ${formatBytes(total)}` : ""}\n`);
    },
    task(task) {
      eta.observe(task);
      // Id, status and progress are API text: no terminal controls reach the stream.
      const line = terminalSafe(`task ${task.id}: ${task.status} ${task.progress ?? 0}%`);
      if (line === lastTask) return;
      lastTask = line;
      const remaining = eta.remainingMs();
      stream.write(`${line}${remaining === undefined ? "" : ` (${formatRemaining(remaining)})`}\n`);
    },
    download(received, total) {
      if (total && !step("download", (received / total) * 100)) return;
      stream.write(`download: ${formatBytes(received)}${total ? ` of ${formatBytes(total)}` : ""}\n`);
    },
    note(message) {
      stream.write(`${message}\n`);
    },
    stop() {},
  };
}

/** Fits a phase name in `width` columns, keeping the end of long file names visible. */
function fitWidth(name: string, width: number): string {
  return name.length <= width ? name.padEnd(width) : `${name.slice(0, width - 6)}…${name.slice(-5)}`;
}

/** The interval functions the bar's ticker uses; injectable so a test can see its own timer. */
export interface IntervalTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const globalIntervals: IntervalTimers = {
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

/** A live bar per phase on a terminal (cli-progress). */
export function barProgress(stream: Stream, timers: IntervalTimers = globalIntervals): ProgressView {
  let bar: cliProgress.SingleBar | undefined;
  let phase = "";
  const eta = createEtaTracker();
  let lastStatus = "";
  // Between reads the bar keeps moving towards the predicted completion; the timer is unref'd
  // and cleared with the phase, so it never holds the process open.
  let ticker: unknown;
  const stopTicker = () => {
    if (ticker !== undefined) timers.clearInterval(ticker);
    ticker = undefined;
  };
  const showTask = () => {
    const remaining = eta.remainingMs();
    show("lip-sync", 100, eta.displayProgress(), {
      detail: remaining === undefined ? lastStatus : `${lastStatus} · ${formatRemaining(remaining)}`,
    });
  };
  const show = (name: string, total: number, value: number, payload: Record<string, string>) => {
    // The name goes in as a payload value, never into the format string, where a file name
    // such as "{bar}.mp4" would be read as a placeholder.
    const values = { ...payload, phase: fitWidth(name, 22) };
    if (phase !== name || !bar) {
      bar?.stop();
      phase = name;
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: "{phase} {bar} {percentage}% {detail}",
          hideCursor: true,
          clearOnComplete: false,
          barsize: 30,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, value, values);
      return;
    }
    bar.setTotal(total);
    bar.update(value, values);
  };
  return {
    upload(label, sent, total) {
      show(`upload ${label}`, total ?? Math.max(sent, 1), sent, {
        detail: `${formatBytes(sent)}${total ? ` / ${formatBytes(total)}` : ""}`,
      });
    },
    task(task) {
      eta.observe(task);
      lastStatus = terminalSafe(task.status);
      showTask();
      if (eta.remainingMs() === undefined) stopTicker();
      else if (ticker === undefined) {
        ticker = timers.setInterval(showTask, 500);
        (ticker as { unref?: () => void }).unref?.();
      }
    },
    download(received, total) {
      stopTicker();
      show("download", total ?? Math.max(received, 1), received, {
        detail: `${formatBytes(received)}${total ? ` / ${formatBytes(total)}` : ""}`,
      });
    },
    note(message) {
      stopTicker();
      bar?.stop();
      bar = undefined;
      phase = "";
      stream.write(`${message}\n`);
    },
    stop() {
      stopTicker();
      bar?.stop();
      bar = undefined;
    },
  };
}

/** The view for this run: silent with `--json`, a bar on a TTY, plain lines otherwise. */
export function chooseProgress(stream: Stream, json: boolean): ProgressView {
  if (json) return silentProgress();
  return stream.isTTY ? barProgress(stream) : lineProgress(stream);
}
