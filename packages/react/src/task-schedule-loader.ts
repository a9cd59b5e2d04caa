import { VideoRetalkError } from "@videoretalk/core";

/**
 * The polling schedule's glue (task-schedule.ts, with `@videoretalk/polling/schedule` behind it)
 * is a chunk of its own, loaded with `import()` alongside a task's first read or creation, so a
 * page that renders the hooks does not download it up front. Only this loader is in the initial
 * load. Until the chunk is there, the query options fall back to a simple rule (see queries.ts).
 *
 * @internal
 */

/** The schedule's module. */
export type TaskSchedule = typeof import("./task-schedule.js");

let loaded: TaskSchedule | undefined;
let loading: Promise<TaskSchedule> | undefined;

/** The schedule's module once it has loaded, else `undefined`. */
export function loadedTaskSchedule(): TaskSchedule | undefined {
  return loaded;
}

/**
 * Loads the schedule: one `import()` shared by every query. A failed load rejects with a
 * `VideoRetalkError` (the cause attached) and is forgotten, so the next read tries again.
 */
export function loadTaskSchedule(): Promise<TaskSchedule> {
  loading ??= import("./task-schedule.js").then(
    (module) => (loaded = module),
    (cause: unknown) => {
      loading = undefined;
      throw new VideoRetalkError("Could not load the polling schedule of @videoretalk/react.", { cause });
    },
  );
  return loading;
}

/**
 * A task read that settles once the schedule has loaded as well, so TanStack Query asks for the
 * next delay (and whether to retry) with the schedule there. A failed load fails the read with
 * its typed error: it lands in the query's (and the hook's) `error`, never as an unhandled
 * rejection.
 */
export async function withTaskSchedule<Value>(read: Promise<Value>): Promise<Value> {
  const schedule = loadTaskSchedule();
  await Promise.allSettled([read, schedule]);
  // The read's own error (a 401, a 404) says more than a missing chunk, so it comes first.
  const value = await read;
  await schedule;
  return value;
}
