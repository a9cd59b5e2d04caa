import type { Task } from "@videoretalk/core";
import cliProgress from "cli-progress";
import { formatBytes } from "./format.js";

/** How the CLI shows what it is doing. Everything goes to stderr, so stdout stays clean. */
export interface ProgressView {
  upload(label: string, sentBytes: number, totalBytes: number | undefined): void;
  task(task: Task): void;
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
  return {
    upload(label, sent, total) {
      if (total && !step(`upload:${label}`, (sent / total) * 100)) return;
      stream.write(`upload ${label}: ${formatBytes(sent)}${total ? ` of ${formatBytes(total)}` : ""}\n`);
    },
    task(task) {
      const line = `task ${task.id}: ${task.status} ${task.progress ?? 0}%`;
      if (line === lastTask) return;
      lastTask = line;
      stream.write(`${line}\n`);
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

/** A live bar per phase on a terminal (cli-progress). */
export function barProgress(stream: Stream): ProgressView {
  let bar: cliProgress.SingleBar | undefined;
  let phase = "";
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
      show("lip-sync", 100, task.progress ?? 0, { detail: task.status });
    },
    download(received, total) {
      show("download", total ?? Math.max(received, 1), received, {
        detail: `${formatBytes(received)}${total ? ` / ${formatBytes(total)}` : ""}`,
      });
    },
    note(message) {
      bar?.stop();
      bar = undefined;
      phase = "";
      stream.write(`${message}\n`);
    },
    stop() {
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
