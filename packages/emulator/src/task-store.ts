import { randomText } from "./http-utils.js";
import type { HostedMedia } from "./media.js";
import { taskFailureMessage } from "./task-failures.js";
import { phaseAt, planTask, type TaskOutcome, type TaskPlan, terminalAtS } from "./timeline.js";
import type { CreateParams } from "./validate-create.js";

/**
 * The emulator's tasks in memory: their plans, their result media, and how they look on the
 * wire (the spec's `VideoRetalkResponse` / `TaskDetailResponse`) at any instant.
 */

/** A task the emulator created. */
export interface TaskRecord {
  id: string;
  /** Unix seconds, as reported in `created`. */
  created: number;
  /** Real creation time, in milliseconds since the epoch. */
  createdAtMs: number;
  plan: TaskPlan;
  params: CreateParams;
  /** The bytes served as the result once the task completes. */
  result: HostedMedia;
  /** Duration of the result video in whole seconds, as reported in `task_info.video_duration`. */
  videoDurationS: number;
  creditsReserved: number;
  /** `result-status:<code>`: the result URL answers this status instead of the video. */
  resultStatus?: number;
  /** `drop-after:<bytes>`: how many more result downloads are cut off after `bytes`. */
  dropAfter?: { bytes: number; remaining: number };
}

/** The JSON of a task as the API returns it. */
export interface TaskJson {
  created: number;
  id: string;
  model: string;
  object: "video.generation.task";
  progress: number;
  status: "pending" | "processing" | "completed" | "failed" | "cancelled";
  task_info: { can_cancel: boolean; estimated_time?: number; video_duration?: number };
  type: "video";
  usage?: { billing_rule: "per_second"; credits_reserved: number; user_group: string };
  results?: string[];
  error?: { code: string | number; message: string; type: "task_error" };
}

/** What a new task needs besides its parameters. */
export interface NewTask {
  params: CreateParams;
  outcome: TaskOutcome;
  result: HostedMedia;
  videoDurationS: number;
  resultStatus?: number;
  dropAfter?: { bytes: number; times: number };
}

/** Billing per second of video, as in the spec's example (480 credits for 12 s). */
const CREDITS_PER_SECOND = 40;

/** The `usage.credits_reserved` of a task whose result lasts `videoDurationS` seconds. */
export function creditsForDuration(videoDurationS: number): number {
  return CREDITS_PER_SECOND * Math.max(1, videoDurationS);
}

/** The task store (see {@link createTaskStore}). */
export interface TaskStore {
  create(task: NewTask): TaskRecord;
  get(id: string): TaskRecord | undefined;
  /** The task's JSON at real time `nowMs`. */
  view(task: TaskRecord, nowMs?: number): TaskJson;
  /** Real milliseconds after creation at which the task reaches its terminal state. */
  terminalDelayMs(task: TaskRecord): number;
  /** The URL its result is served at. */
  resultUrl(task: TaskRecord): string;
}

/** Options of {@link createTaskStore}. */
export interface TaskStoreOptions {
  /** Emulated seconds per real second. */
  speed: number;
  /** The emulator's origin, for result URLs. */
  baseUrl: string;
  now?: () => number;
  random?: () => number;
}

/** Creates an empty task store. */
export function createTaskStore(options: TaskStoreOptions): TaskStore {
  const { speed, baseUrl } = options;
  const now = options.now ?? Date.now;
  const tasks = new Map<string, TaskRecord>();

  const resultUrl = (task: TaskRecord) => `${baseUrl}/results/${task.id}.mp4`;

  return {
    create(input) {
      const createdAtMs = now();
      const created = Math.floor(createdAtMs / 1000);
      let id: string;
      do id = `task-unified-${created}-${randomText(8)}`;
      while (tasks.has(id));
      const task: TaskRecord = {
        id,
        created,
        createdAtMs,
        plan: planTask(input.outcome, options.random),
        params: input.params,
        result: input.result,
        videoDurationS: input.videoDurationS,
        creditsReserved: creditsForDuration(input.videoDurationS),
      };
      if (input.resultStatus !== undefined) task.resultStatus = input.resultStatus;
      if (input.dropAfter) task.dropAfter = { bytes: input.dropAfter.bytes, remaining: input.dropAfter.times };
      tasks.set(id, task);
      return task;
    },

    get: (id) => tasks.get(id),

    view(task, nowMs = now()) {
      const elapsedS = (Math.max(0, nowMs - task.createdAtMs) / 1000) * speed;
      const phase = phaseAt(task.plan, elapsedS);
      const json: TaskJson = {
        created: task.created,
        id: task.id,
        model: task.params.model,
        object: "video.generation.task",
        progress: phase.progress,
        status: phase.status,
        task_info: { can_cancel: false },
        type: "video",
      };
      const usage = {
        billing_rule: "per_second",
        credits_reserved: task.creditsReserved,
        user_group: "default",
      } as const;
      if (phase.status === "pending" || phase.status === "processing") {
        // The real seconds left (emulated seconds divided by speed), rounded up.
        json.task_info.estimated_time = Math.ceil(phase.remainingS / speed);
        json.task_info.video_duration = phase.status === "pending" ? 0 : task.videoDurationS;
        json.usage = usage;
      } else if (phase.status === "completed") {
        json.task_info.video_duration = task.videoDurationS;
        json.results = [resultUrl(task)];
        json.usage = usage;
      } else {
        const { outcome } = task.plan;
        const code = outcome.kind === "failed" ? outcome.code : "request_cancelled";
        const message = (outcome.kind === "failed" && outcome.message) || taskFailureMessage(code);
        json.error = { code, message, type: "task_error" };
      }
      return json;
    },

    terminalDelayMs: (task) => (terminalAtS(task.plan) / speed) * 1000,

    resultUrl,
  };
}
