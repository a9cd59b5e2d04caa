import { isTerminalStatus, type LipSyncParams, type Task, type TaskStatus, VideoRetalkError } from "@videoretalk/core";
import { isCompletedTask, terminalTaskError } from "@videoretalk/polling";
import { useCallback, useMemo, useRef, useState } from "react";
import { useLipSyncMutation } from "./use-create-lip-sync.js";
import { useTask } from "./use-task.js";

/**
 * Options of {@link useLipSync}.
 *
 * @example
 * ```ts
 * useLipSync({ taskId: new URLSearchParams(location.search).get("task") });
 * ```
 */
export interface UseLipSyncOptions {
  /**
   * A task to resume, e.g. an id kept in the URL or in `sessionStorage` across a reload. It is
   * polled to its end without creating anything; a later, different id is adopted as well.
   */
  taskId?: string | null | undefined;
  /** Shortest delay between two reads of the task, in ms. Default 1 000. */
  minIntervalMs?: number | undefined;
  /** Longest delay between two reads of the task, in ms. Default 60 000. */
  maxIntervalMs?: number | undefined;
}

/**
 * Where the flow stands: `idle` before `start()` (or after `reset()`), `creating` while the
 * create request runs, then the task's own status, or `error` when a request failed. A task
 * being resumed reads as `pending` until its first read arrives.
 *
 * @example
 * ```ts
 * const busy = (["creating", "pending", "processing"] as LipSyncStatus[]).includes(status);
 * ```
 */
export type LipSyncStatus = "idle" | "creating" | TaskStatus | "error";

/**
 * What {@link useLipSync} returns.
 *
 * @example
 * ```ts
 * const { start, status, progress, resultUrl, error }: UseLipSyncResult = useLipSync();
 * ```
 */
export interface UseLipSyncResult {
  /**
   * Submits a lip-sync task. Returns nothing: follow `status`, and failures land in `error`.
   * Ignored while a submission or an unfinished task is running, so a double click or
   * StrictMode's double effects start one task.
   */
  start: (params: LipSyncParams) => void;
  /** Forgets the task and any error, back to `idle`. A request in flight is not recalled. */
  reset: () => void;
  /** The task as last read (the create response until the first read). */
  task: Task | undefined;
  /** The id of the current task; keep it in the URL or storage to resume after a reload. */
  taskId: string | null;
  /** See {@link LipSyncStatus}. */
  status: LipSyncStatus;
  /** Progress in percent, 0–100 (100 once completed). */
  progress: number;
  /** The finished video's URL (valid for 24 hours) once the task completed. */
  resultUrl: string | undefined;
  /**
   * Why the flow stopped: a core error for a failed request (`AuthenticationError`,
   * `ValidationError`, … with `status` and `requestId`), or polling's `TaskFailedError` (with
   * the API's `code`) / `TaskCancelledError` for a task that ended badly; their HTTP `status`
   * is undefined. Always a `VideoRetalkError`.
   */
  error: VideoRetalkError | null;
}

/**
 * The whole lip-sync flow in one hook: create a task, poll it with the adaptive schedule, and
 * expose progress, the result URL and errors.
 *
 * @example
 * ```tsx
 * function LipSync({ video_url, audio_url }: { video_url: string; audio_url: string }) {
 *   const { start, status, progress, resultUrl, error, reset } = useLipSync();
 *   if (resultUrl) return <video src={resultUrl} controls />;
 *   if (error) return <p role="alert">{error.message} <button onClick={reset}>Try again</button></p>;
 *   return status === "idle"
 *     ? <button onClick={() => start({ video_url, audio_url })}>Lip-sync</button>
 *     : <progress max={100} value={progress} />;
 * }
 * ```
 */
export function useLipSync(options: UseLipSyncOptions = {}): UseLipSyncResult {
  const { minIntervalMs, maxIntervalMs } = options;
  const resumeId = options.taskId ?? null;

  const [taskId, setTaskId] = useState<string | null>(resumeId);
  // Adopt a new id passed by the app (React's "adjust state when a prop changes" pattern).
  const [seenResumeId, setSeenResumeId] = useState(resumeId);
  if (resumeId !== seenResumeId) {
    setSeenResumeId(resumeId);
    if (resumeId !== null) setTaskId(resumeId);
  }

  // The create step's own state, set from the mutation's promise so that it changes at once
  // (in the same render as start() and reset()), and only for this hook's submissions.
  const [submission, setSubmission] = useState<{ creating: true } | { error: VideoRetalkError } | null>(null);
  // The plain mutation, not useCreateLipSync: the refs below already make start() submit once.
  const create = useLipSyncMutation();
  const query = useTask(taskId, { minIntervalMs, maxIntervalMs });
  const task = taskId === null ? undefined : query.data;

  const taskError = useMemo(() => (task ? (terminalTaskError(task) ?? null) : null), [task]);
  const queryError = useMemo(() => (query.error ? asVideoRetalkError(query.error) : null), [query.error]);
  const requestError =
    (submission && "error" in submission ? submission.error : null) ?? (taskId === null ? null : queryError);
  const error: VideoRetalkError | null = requestError ?? taskError;

  let status: LipSyncStatus;
  if (submission && "creating" in submission) status = "creating";
  else if (requestError || (taskError && task?.status === "completed")) status = "error";
  else if (taskId === null) status = "idle";
  else status = task?.status ?? "pending";

  // `start` reads refs, not render state: two calls before React re-renders (a double click,
  // StrictMode's double effects) must still start one task.
  const submitting = useRef(false);
  const taskActive = useRef(false);
  taskActive.current = taskId !== null && !requestError && !isTerminalStatus(task?.status);
  const generation = useRef(0);
  const { mutateAsync, reset: resetCreate } = create;

  const start = useCallback(
    (params: LipSyncParams) => {
      if (submitting.current || taskActive.current) return;
      submitting.current = true;
      const startedIn = ++generation.current;
      setTaskId(null);
      setSubmission({ creating: true });
      mutateAsync(params).then(
        (created) => {
          if (generation.current !== startedIn) return;
          submitting.current = false;
          taskActive.current = true;
          setTaskId(created.id);
          setSubmission(null);
        },
        (failure: unknown) => {
          if (generation.current !== startedIn) return;
          submitting.current = false;
          setSubmission({ error: asVideoRetalkError(failure) });
        },
      );
    },
    [mutateAsync],
  );

  const reset = useCallback(() => {
    generation.current++;
    submitting.current = false;
    taskActive.current = false;
    resetCreate();
    setSubmission(null);
    setTaskId(null);
  }, [resetCreate]);

  const progress =
    task === undefined ? 0 : task.status === "completed" ? 100 : Math.min(100, Math.max(0, task.progress ?? 0));

  return {
    start,
    reset,
    task,
    taskId,
    status,
    progress,
    resultUrl: task && isCompletedTask(task) ? task.results[0] : undefined,
    error,
  };
}

/** Keeps the promise that `error` is a VideoRetalkError, even for an unexpected throw. */
function asVideoRetalkError(error: unknown): VideoRetalkError {
  if (error instanceof VideoRetalkError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new VideoRetalkError(`Unexpected error: ${message}`, { cause: error });
}
