/**
 * Shared setup for the unit suites: a client wired to a scripted fetch, a fake clock, a fixed
 * random source and a recording logger. Not a test file itself.
 */
import { FakeClock, type FetchStep, type ScriptedFetch, scriptedFetch } from "@videoretalk/test-support";
import type { LoadFailurePath } from "../../src/failure-loader.js";
import { createVideoRetalk, type VideoRetalkClient, type VideoRetalkOptions } from "../../src/index.js";
import type { ResourceContext } from "../../src/resources/context.js";
import { createTransport } from "../../src/transport.js";

export const API_KEY = "sk-unit-0123456789abcdef";
export const BASE_URL = "https://api.test.example";
export const TASK_ID = "task-unified-1756817821-4x3rx6ny";

export interface LogEntry {
  level: "debug" | "info" | "warn" | "error";
  message: string;
  meta: Record<string, unknown> | undefined;
}

export interface Harness {
  client: VideoRetalkClient;
  clock: FakeClock;
  script: ScriptedFetch;
  logs: LogEntry[];
}

/** A client whose fetch answers from `steps`; `random` defaults to 0.5 (half of each backoff step). */
export function setup(steps: FetchStep[], options: VideoRetalkOptions = {}): Harness {
  const clock = new FakeClock();
  const script = scriptedFetch(steps);
  const logs: LogEntry[] = [];
  const record =
    (level: LogEntry["level"]) =>
    (message: string, meta?: Record<string, unknown>): void => {
      logs.push({ level, message, meta });
    };
  const client = createVideoRetalk({
    apiKey: API_KEY,
    baseUrl: BASE_URL,
    fetch: script.fetch,
    clock,
    random: () => 0.5,
    logger: { debug: record("debug"), info: record("info"), warn: record("warn"), error: record("error") },
    ...options,
  });
  return { client, clock, script, logs };
}

/** A task body as the API returns it. */
export function taskBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: TASK_ID,
    object: "video.generation.task",
    created: 1756817821,
    model: "videoretalk",
    status: "pending",
    progress: 0,
    type: "video",
    ...overrides,
  };
}

/** Valid create parameters. */
export const PARAMS = {
  video_url: "https://cdn.example.com/speaker.mp4",
  audio_url: "https://cdn.example.com/speech.wav",
} as const;

/** Awaits `promise` and returns what it rejected with; fails when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject, but it resolved");
}

/** Runs fake time until `promise` settles and returns its rejection. */
export function rejectionOnClock(clock: FakeClock, promise: Promise<unknown>): Promise<unknown> {
  return rejection(clock.runUntilSettled(promise));
}

/**
 * A resource context over a bare transport (no client), for suites that hand resources their own
 * loaders: `failures` replaces the failure-code loader (default: the lazy one).
 */
export function resourceContext(
  steps: FetchStep[],
  failures?: LoadFailurePath,
): { ctx: ResourceContext; clock: FakeClock; script: ScriptedFetch } {
  const clock = new FakeClock();
  const script = scriptedFetch(steps);
  const transport = createTransport({
    fetch: () => script.fetch,
    authorization: () => `Bearer ${API_KEY}`,
    headers: {},
    secrets: [API_KEY],
    timeoutMs: 60_000,
    deadlineMs: undefined,
    maxRetries: 2,
    clock,
    random: () => 0.5,
    logger: undefined,
    failures,
  });
  return { ctx: { transport, baseUrl: BASE_URL, secrets: [API_KEY], now: () => clock.now(), failures }, clock, script };
}
