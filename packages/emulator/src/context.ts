import type { Accounting } from "./accounting.js";
import { isLoopbackHost } from "./address.js";
import type { EmulatorClock } from "./clock.js";
import type { FileStore } from "./file-store.js";
import { type HostedMedia, SAMPLE_NAMES, type SampleName, sample } from "./media.js";
import type { ScenarioCounter } from "./scenarios.js";
import type { TaskRecord, TaskStore } from "./task-store.js";

/** The state one emulator instance shares between its routes. */
export interface EmulatorContext {
  /** The emulator's origin, e.g. `http://127.0.0.1:4020`. */
  baseUrl: string;
  port: number;
  speed: number;
  /** The clock of task timelines and `slow:` delays (a fake one in tests). */
  clock: EmulatorClock;
  /** Whether a `Host` header's hostname names this machine (DNS-rebinding guard). */
  isAllowedHost: (hostname: string) => boolean;
  /** Browser origins allowed by CORS (`"*"`: any). */
  corsOrigins: readonly string[];
  apiKey: string | undefined;
  tasks: TaskStore;
  files: FileStore;
  counter: ScenarioCounter;
  /** Stored create answers per `<token>\n<Idempotency-Key>`. */
  idempotency: Map<string, { fingerprint: string; body: unknown }>;
  /** Aborted when the emulator closes. */
  signal: AbortSignal;
  /** Credit balance, rate limit and stats (see accounting.ts). */
  accounting: Accounting;
  /** Schedules the callback of a new task that has a `callback_url`. */
  scheduleCallback(task: TaskRecord): void;
}

/** Whether `task` has completed at real time `nowMs`. */
export function isCompleted(context: EmulatorContext, task: TaskRecord, nowMs = context.clock.now()): boolean {
  return context.tasks.view(task, nowMs).status === "completed";
}

/** The hosted media behind an emulator path (`/samples/…`, `/files/…`, downloads, results). */
export function mediaAtPath(context: EmulatorContext, pathname: string): HostedMedia | undefined {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const sampleName = path.match(/^\/samples\/([^/]+)$/)?.[1];
  if (sampleName !== undefined) {
    return (SAMPLE_NAMES as readonly string[]).includes(sampleName) ? sample(sampleName as SampleName) : undefined;
  }
  const filePath = path.match(/^\/files\/(.+)$/)?.[1];
  if (filePath !== undefined) return context.files.byPath(filePath);
  const fileId = path.match(/^\/api\/v1\/files\/download\/([^/]+)$/)?.[1];
  if (fileId !== undefined) return context.files.byId(fileId);
  const taskId = path.match(/^\/results\/([^/]+)\.mp4$/)?.[1];
  if (taskId !== undefined) {
    const task = context.tasks.get(taskId);
    return task && isCompleted(context, task) && task.resultStatus === undefined ? task.result : undefined;
  }
  return undefined;
}

/**
 * The bytes behind `url` when it points at this emulator (any loopback host name, same port),
 * `"missing"` when it does but nothing is there, `undefined` for any other URL.
 */
export function resolveHosted(context: EmulatorContext, url: string): HostedMedia | "missing" | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const port = Number(parsed.port || (parsed.protocol === "https:" ? 443 : 80));
  if (parsed.protocol !== "http:" || port !== context.port || !isLoopbackHost(parsed.hostname)) return undefined;
  return mediaAtPath(context, parsed.pathname) ?? "missing";
}
