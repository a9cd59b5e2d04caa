import { createVideoRetalk, type Task, type VideoRetalkOptions } from "@videoretalk/core";
import { FakeClock, type FetchStep, jsonResponse, scriptedFetch } from "@videoretalk/test-support";
import { importSchedule } from "../../src/schedule-loader.js";

// Waits load the schedule with `import()` (see schedule-loader.ts). Loading it once here makes
// that load settle within microtasks, long before any wait's first delay falls due, so no delay
// waits on module loading, which the fake clock cannot see. schedule-load.test.ts covers the load.
await importSchedule();

export const TASK_ID = "task-unified-1775200000-abcd1234";

/** A task body as `GET /v1/tasks/{id}` returns it. */
export function task(status: string, progress: number, extra: Partial<Task> = {}): Task {
  return {
    id: TASK_ID,
    object: "video.generation.task",
    type: "video",
    model: "videoretalk",
    created: 1_775_200_000,
    status: status as Task["status"],
    progress,
    ...(status === "completed" ? { results: [`https://files.example/${TASK_ID}.mp4`] } : {}),
    ...extra,
  };
}

/** A 200 answer carrying `body`. */
export function ok(body: unknown): Response {
  return jsonResponse(200, body, { "x-request-id": "req-get-1" });
}

/** A real core client on a fake clock whose `fetch` follows `steps`. */
export function setup(steps: FetchStep[], clientOptions: VideoRetalkOptions = {}) {
  const clock = new FakeClock();
  const script = scriptedFetch(steps);
  const client = createVideoRetalk({
    apiKey: "sk-test-key",
    baseUrl: "http://127.0.0.1:1",
    fetch: script.fetch,
    clock,
    random: () => 0.5,
    ...clientOptions,
  });
  return { clock, script, client, start: clock.now() };
}

/** Settles `promise` into `{ value }` or `{ error }`, so a rejection is never unhandled. */
export function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

/** Collects everything a watch yields, and how it ended; the test moves the fake clock itself. */
export async function collect(iterable: AsyncIterable<Task>): Promise<{ seen: Task[]; error?: unknown }> {
  const seen: Task[] = [];
  const { error } = await settle(
    (async () => {
      for await (const t of iterable) seen.push(t);
    })(),
  );
  return { seen, error };
}
