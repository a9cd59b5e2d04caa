import type { CreateRequestOptions, LipSyncParams, VideoRetalkClient } from "@videoretalk/core";
import type { CompletedTask } from "./completed-task.js";
import { tracedWait, type WaitForTaskOptions } from "./wait-for-task.js";
import { resolveWatchOptions, watchFrom } from "./watch-task.js";

/** Options of {@link createAndWait}: the wait's options plus the create call's. */
export interface CreateAndWaitOptions extends WaitForTaskOptions {
  /**
   * `Idempotency-Key` of the create call. Reuse the `idempotencyKey` of a failed create error to
   * retry without risk of a second task. Generated when omitted.
   */
  idempotencyKey?: string | undefined;
  /**
   * Options of the create request itself (`headers`, per-attempt `timeoutMs`, `deadlineMs`,
   * `maxRetries`). `signal` and `idempotencyKey` come from the top level.
   */
  createRequest?: Omit<CreateRequestOptions, "signal" | "idempotencyKey"> | undefined;
}

/**
 * Creates a lip-sync task and waits until it completes. The create response counts as the first
 * observation (its `estimated_time` starts the schedule, and `onProgress` receives it), so the
 * first read comes after a short first look rather than at once. `timeoutMs` counts from
 * creation.
 *
 * @example
 * ```ts
 * const task = await createAndWait(client, {
 *   video_url: "https://example.com/speaker.mp4",
 *   audio_url: "https://example.com/speech.wav",
 * }, { onProgress: (t) => console.log(t.status, t.progress) });
 * console.log(task.id, task.results[0]);
 * ```
 * @throws {ValidationError} / {APIError} (core) from the create call; these carry
 *   `idempotencyKey` and no `taskId`.
 * @throws {TaskFailedError}, {TaskCancelledError}, {WaitTimeoutError}, `RequestAbortedError` and
 *   non-transient `APIError`s from the wait, as {@link waitForTask}; these carry `taskId`.
 */
export async function createAndWait(
  client: Pick<VideoRetalkClient, "lipSync" | "tasks">,
  params: LipSyncParams,
  options: CreateAndWaitOptions = {},
): Promise<CompletedTask> {
  // Bad wait options are refused before anything is created.
  const { clock } = resolveWatchOptions(options);
  const created = await client.lipSync.create(params, {
    ...options.createRequest,
    idempotencyKey: options.idempotencyKey,
    signal: options.signal,
  });
  return tracedWait(watchFrom(client, created.id, options, { at: clock.now(), task: created }), created.id);
}
