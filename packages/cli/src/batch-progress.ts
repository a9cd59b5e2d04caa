import type { BatchEvent } from "@videoretalk/batch";
import { formatDuration } from "./format.js";
import { terminalSafe } from "./terminal-text.js";

type Stream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/** How `videoretalk batch` shows a run: fed every event, stopped before the summary. */
export interface BatchProgressView {
  event(event: BatchEvent): void;
  stop(): void;
}

/** The counters of the progress line, by what a job is doing now. */
const BUCKETS = ["queued", "creating", "running", "downloading", "done", "failed", "skipped", "unfinished"] as const;
type Bucket = (typeof BUCKETS)[number];

function bucketOf(state: string): Bucket {
  switch (state) {
    case "planned":
    case "uploaded":
      return "queued";
    case "creating":
      return "creating";
    case "created":
      return "running";
    case "completed":
      return "downloading";
    case "downloaded":
      return "done";
    case "failed":
    case "cancelled":
      return "failed";
    case "skipped":
      return "skipped";
    default:
      return "unfinished";
  }
}

/** Counts per state, throughput and ETA of the jobs finished in this run, credits reserved. */
class BatchTally {
  private readonly states = new Map<string, Bucket>();
  private finishedThisRun = 0;
  credits = 0;
  constructor(
    private readonly total: number,
    private readonly startedAt: number,
  ) {}

  apply(event: Extract<BatchEvent, { type: "job" }>): void {
    this.states.set(event.job, bucketOf(event.state));
    if (event.creditsReserved !== undefined && !event.resumed) this.credits += event.creditsReserved;
    if (!event.resumed && ["downloaded", "failed", "cancelled", "skipped"].includes(event.state))
      this.finishedThisRun++;
  }

  line(now: number): string {
    const counts = Object.fromEntries(BUCKETS.map((bucket) => [bucket, 0])) as Record<Bucket, number>;
    counts.queued = this.total - this.states.size;
    for (const bucket of this.states.values()) counts[bucket]++;
    const elapsedMin = Math.max((now - this.startedAt) / 60_000, 1 / 60);
    const perMin = this.finishedThisRun / elapsedMin;
    const left = counts.queued + counts.creating + counts.running + counts.downloading;
    const eta = perMin > 0 && left > 0 ? ` · ETA ${formatDuration((left / perMin) * 60_000)}` : "";
    const shown = BUCKETS.filter((bucket) => counts[bucket] > 0 || bucket === "done").map((b) => `${b} ${counts[b]}`);
    return `${shown.join(" · ")} · ${perMin.toFixed(1)} jobs/min${eta} · ${Math.round(this.credits)} credits reserved`;
  }
}

function eventLine(event: BatchEvent): string {
  switch (event.type) {
    case "job": {
      const task = event.taskId ? ` ${event.taskId}` : "";
      const credits = event.creditsReserved !== undefined ? ` (${event.creditsReserved} credits reserved)` : "";
      const error = event.error ? `: ${event.error.code}: ${event.error.message}` : "";
      const resumed = event.resumed ? " (from the journal)" : "";
      return terminalSafe(`${event.job} ${event.state}${task}${credits}${error}${resumed}`);
    }
    case "retry-failed":
      return terminalSafe(
        `${event.job}: --retry-failed: creating a new task (attempt ${event.attempt}, new idempotency key)`,
      );
    case "rate-limited":
      return `rate limited (429): every create waits ${(event.retryAfterMs / 1000).toFixed(1)} s; concurrency now ${event.concurrency}`;
    case "batch-reads-unavailable":
      return `POST /v1/tasks/batch answered ${event.status}: reading tasks one by one for the rest of the run`;
    case "read-error":
      return terminalSafe(`task reads failed (${event.message}); retrying in ${(event.retryInMs / 1000).toFixed(1)} s`);
  }
}

/**
 * On a TTY: one line with counts per state, throughput, ETA and credits, redrawn in place (at
 * most every 100 ms). Otherwise: one line per state change, for logs. With `--json`: nothing.
 */
export function chooseBatchProgress(stream: Stream, options: { json: boolean; total: number }): BatchProgressView {
  if (options.json) return { event() {}, stop() {} };
  const tally = new BatchTally(options.total, Date.now());
  if (!stream.isTTY) {
    return {
      event(event) {
        if (event.type === "job") tally.apply(event);
        stream.write(`${eventLine(event)}\n`);
      },
      stop() {},
    };
  }
  let lastDraw = 0;
  let notice = "";
  const draw = (force = false) => {
    const now = Date.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    const width = Math.max(20, (stream.columns ?? 100) - 1);
    stream.write(`\r\x1b[2K${`${tally.line(now)}${notice}`.slice(0, width)}`);
  };
  return {
    event(event) {
      if (event.type === "job") tally.apply(event);
      else if (event.type === "rate-limited") notice = ` · 429: concurrency ${event.concurrency}`;
      else {
        stream.write(`\r\x1b[2K${eventLine(event)}\n`);
        draw(true);
        return;
      }
      draw();
    },
    stop() {
      draw(true);
      stream.write("\n");
    },
  };
}
