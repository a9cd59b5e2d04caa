import {
  APIConnectionError,
  type CreatedTask,
  InternalServerError,
  NotFoundError,
  RequestAbortedError,
  type Task,
} from "@videoretalk/core";
import { nextPollDelayMs } from "@videoretalk/polling/schedule";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type ObservedQuery,
  retryTransient,
  TASK_QUERY_RETRIES,
  taskRefetchInterval,
  taskStaleTime,
  transientRetryDelayMs,
} from "../src/task-schedule.js";

const T0 = 1_700_000_000_000;
const BOUNDS = { minIntervalMs: 1_000, maxIntervalMs: 60_000 };

function query(data?: Task, at = T0): ObservedQuery {
  return { state: { data, dataUpdatedAt: data ? at : 0, status: data ? "success" : "pending", error: null } };
}

const created = {
  id: "task-unified-1700000000-abcdefgh",
  status: "pending",
  progress: 0,
  task_info: { can_cancel: true, estimated_time: 45 },
} satisfies CreatedTask as Task;

beforeEach(() => {
  vi.useFakeTimers({ now: T0, toFake: ["Date"] });
  // No jitter: the schedule's delays become exact.
  vi.spyOn(Math, "random").mockReturnValue(0.5);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("taskRefetchInterval", () => {
  it("waits minIntervalMs before the first read arrives", () => {
    expect(taskRefetchInterval(query(), BOUNDS)).toBe(1_000);
  });

  it("feeds the reads seen so far to nextPollDelayMs", () => {
    const q = query(created);
    const first = [{ at: T0, task: created }];
    // The create response alone: the schedule's first look, about 2 s.
    expect(taskRefetchInterval(q, BOUNDS)).toBe(nextPollDelayMs(first, BOUNDS));
    expect(taskRefetchInterval(q, BOUNDS)).toBe(2_000);

    const read: Task = { ...created, status: "processing", progress: 30 };
    vi.setSystemTime(T0 + 2_000);
    q.state = { ...q.state, data: read, dataUpdatedAt: T0 + 2_000 };
    const both = [...first, { at: T0 + 2_000, task: read }];
    const expected = nextPollDelayMs(both, BOUNDS);
    expect(expected).not.toBe(2_000);
    expect(taskRefetchInterval(q, BOUNDS)).toBe(expected);
    // The same read seen again (TanStack asks on every query update) is not a new observation.
    expect(taskRefetchInterval(q, BOUNDS)).toBe(expected);
    expect(taskStaleTime(q, BOUNDS)).toBe(expected);
  });

  it("returns what is left of the delay, never less than minIntervalMs", () => {
    const q = query(created);
    expect(taskRefetchInterval(q, BOUNDS)).toBe(2_000);
    vi.setSystemTime(T0 + 600);
    expect(taskRefetchInterval(q, BOUNDS)).toBe(1_400);
    vi.setSystemTime(T0 + 1_900);
    expect(taskRefetchInterval(q, BOUNDS)).toBe(1_000);
  });

  it("keeps the delay within the bounds given", () => {
    expect(taskRefetchInterval(query(created), { minIntervalMs: 20, maxIntervalMs: 20 })).toBe(20);
    expect(taskRefetchInterval(query(created), { minIntervalMs: 5_000, maxIntervalMs: 9_000 })).toBe(5_000);
  });

  it("stops on terminal statuses", () => {
    for (const status of ["completed", "failed", "cancelled"] as const) {
      expect(taskRefetchInterval(query({ ...created, status }), BOUNDS)).toBe(false);
    }
  });

  it("keeps polling unknown statuses, which count as still running", () => {
    expect(taskRefetchInterval(query({ ...created, status: "queued" as Task["status"] }), BOUNDS)).toBeTypeOf("number");
  });

  it("stops after a permanent error, backs off after transient ones", () => {
    const failed = (error: unknown): ObservedQuery => ({
      state: { data: created, dataUpdatedAt: T0, status: "error", error },
    });
    expect(taskRefetchInterval(failed(new NotFoundError("gone", { status: 404 })), BOUNDS)).toBe(false);
    expect(taskRefetchInterval(failed(new APIConnectionError("down")), BOUNDS)).toBe(5_000);
    expect(taskRefetchInterval(failed(new APIConnectionError("down")), { minIntervalMs: 20, maxIntervalMs: 50 })).toBe(
      50,
    );
  });
});

describe("taskStaleTime", () => {
  it("is 0 without data, the scheduled delay while running, and forever once terminal", () => {
    expect(taskStaleTime(query(), BOUNDS)).toBe(0);
    expect(taskStaleTime(query(created), BOUNDS)).toBe(2_000);
    expect(taskStaleTime(query({ ...created, status: "completed" }), BOUNDS)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("retries", () => {
  it("retries transient errors a few times, nothing else", () => {
    const busy = new InternalServerError("busy", { status: 503 });
    expect(retryTransient(0, busy)).toBe(true);
    expect(retryTransient(TASK_QUERY_RETRIES - 1, busy)).toBe(true);
    expect(retryTransient(TASK_QUERY_RETRIES, busy)).toBe(false);
    expect(retryTransient(0, new APIConnectionError("reset"))).toBe(true);
    expect(retryTransient(0, new NotFoundError("gone", { status: 404 }))).toBe(false);
    expect(retryTransient(0, new RequestAbortedError("aborted"))).toBe(false);
    expect(retryTransient(0, new TypeError("bug"))).toBe(false);
  });

  it("waits as Retry-After says, else 1 s doubling up to 30 s", () => {
    expect(transientRetryDelayMs(0, new InternalServerError("busy", { status: 503, retryAfterMs: 2_500 }))).toBe(2_500);
    expect(transientRetryDelayMs(0, new APIConnectionError("reset"))).toBe(1_000);
    expect(transientRetryDelayMs(2, new APIConnectionError("reset"))).toBe(4_000);
    expect(transientRetryDelayMs(10, new APIConnectionError("reset"))).toBe(30_000);
    // A Retry-After of a day is capped like core's own retries.
    expect(transientRetryDelayMs(0, new InternalServerError("busy", { status: 503, retryAfterMs: 86_400_000 }))).toBe(
      30_000,
    );
  });
});
