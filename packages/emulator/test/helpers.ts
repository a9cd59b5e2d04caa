import { SignallingClock } from "@videoretalk/test-support";
import { afterEach, expect } from "vitest";
import { type Emulator, type EmulatorOptions, startEmulator } from "../src/index.js";

/** The JSON answers the tests read (tasks, API errors, Files API envelopes), typed loosely. */
export interface Body {
  id: string;
  created: number;
  status: string;
  progress: number;
  results: string[];
  task_info: { can_cancel: boolean; estimated_time?: number; video_duration?: number };
  error: { code: string | number; message: string; type: string; param?: string };
  success: boolean;
  code: number;
  msg: string;
  data: {
    file_id: string;
    file_name: string;
    file_size: number;
    mime_type: string;
    upload_path: string;
    file_url: string;
    download_url: string;
    upload_time: string;
    expires_at: string;
    used_files: number;
  };
}

/** Emulators started by a test are closed after it. */
const running: Emulator[] = [];
const clocks = new Map<string, SignallingClock>();
afterEach(async () => {
  clocks.clear();
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});

/**
 * Starts an emulator that is closed after the test. Its clock is a {@link SignallingClock}
 * (read it with {@link clockOf}) unless `options.clock` is given: tasks advance only when the
 * test moves time, so no verdict depends on how fast the machine is.
 */
export async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  // Real wall-clock start: task timestamps stay plausible next to the host's own clock.
  const clock = options.clock ?? new SignallingClock(Date.now());
  const started = await startEmulator({ speed: 200, ...options, clock });
  running.push(started);
  if (clock instanceof SignallingClock) clocks.set(started.url, clock);
  return started;
}

/** The fake clock of an emulator started by {@link emulator}. */
export function clockOf(url: string): SignallingClock {
  const clock = clocks.get(url);
  if (!clock) throw new Error(`no fake clock for ${url}`);
  return clock;
}

/** A JSON request with a bearer token unless `token` is null. */
export async function call(
  base: string,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; token?: string | null } = {},
): Promise<{ status: number; headers: Headers; body: Body }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== null) headers.Authorization = `Bearer ${init.token ?? "test-key"}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = typeof init.body === "string" ? init.body : JSON.stringify(init.body);
  }
  const response = await fetch(`${base}${path}`, { method: init.method ?? (body ? "POST" : "GET"), headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, headers: response.headers, body: parsed as Body };
}

/** A valid create body whose video the emulator hosts. */
export function lipSync(base: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: "videoretalk",
    video_url: `${base}/samples/speaker.mp4`,
    audio_url: `${base}/samples/speech.wav`,
    ...extra,
  };
}

/** Creates a task and returns its id, failing the test on a non-200 answer. */
export async function create(base: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const answer = await call(base, "/v1/videos/generations", { body: lipSync(base, extra), headers });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.id as string;
}

/**
 * Reads a task, moving the emulator's fake clock `stepMs` between reads, until it is terminal;
 * returns every distinct snapshot. Emulated time, so the snapshots do not depend on machine load.
 */
export async function pollUntilDone(base: string, id: string, stepMs = 5): Promise<Body[]> {
  const clock = clockOf(base);
  const seen: Body[] = [];
  // At speed 1 a task takes at most 60 s: more steps than that means it never ends.
  for (let step = 0; step * stepMs <= 61_000; step++) {
    const { status, body } = await call(base, `/v1/tasks/${id}`);
    expect(status).toBe(200);
    const last = seen.at(-1);
    if (!last || last.status !== body.status || last.progress !== body.progress) seen.push(body);
    if (["completed", "failed", "cancelled"].includes(body.status)) return seen;
    await clock.advance(stepMs);
  }
  throw new Error(`task ${id} did not finish within 61 s of emulated time`);
}

/** The last snapshot of {@link pollUntilDone}: the terminal task. */
export async function finalTask(base: string, id: string): Promise<Body> {
  const seen = await pollUntilDone(base, id);
  const last = seen.at(-1);
  if (!last) throw new Error(`no snapshot of ${id}`);
  return last;
}

/** Asserts the spec's ErrorResponse shape exactly: `{error:{code,message,type,param?}}`, strings only. */
export function expectApiError(body: unknown, code?: string, param?: string): void {
  expect(Object.keys(body as object)).toEqual(["error"]);
  const error = (body as { error: Record<string, unknown> }).error;
  const keys = Object.keys(error).sort();
  expect(keys).toEqual(error.param === undefined ? ["code", "message", "type"] : ["code", "message", "param", "type"]);
  for (const key of keys) expect(typeof error[key]).toBe("string");
  if (code !== undefined) expect(error.code).toBe(code);
  if (param !== undefined) expect(error.param).toBe(param);
}

/** A promise plus whether it has settled yet, for "not answered before its timer fired" checks. */
export function settled<T>(promise: Promise<T>): { promise: Promise<T>; readonly done: boolean } {
  const state = { promise, done: false };
  promise.then(
    () => {
      state.done = true;
    },
    () => {
      state.done = true;
    },
  );
  return state;
}
