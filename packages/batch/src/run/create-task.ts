import {
  APIError,
  backoffDelayMs,
  type CreatedTask,
  InsufficientCreditsError,
  isTransientError,
  type LipSyncParams,
  sleep,
} from "@videoretalk/core";
import type { JobSnapshot } from "../job-model/checkpoints.js";
import { type BatchJob, isUrl, MEDIA_FIELDS, WIRE_FIELD } from "../job-model/job.js";
import type { RunContext } from "./context.js";

/** How a create call ended. */
export type CreateOutcome =
  | { kind: "created"; task: CreatedTask }
  /** The API refused it for good (400, 403 …): the job failed. */
  | { kind: "refused"; error: unknown }
  /** 402: the account is out of credits. */
  | { kind: "no-credits"; error: unknown }
  /** Transient failures past the retry limit, or the run stopped: the job stays `creating`. */
  | { kind: "unfinished"; error: unknown };

/** The create body of a job: its URLs (uploaded ones from the snapshot) and options. */
export function createParams(job: BatchJob, snapshot: JobSnapshot): LipSyncParams {
  const urls: Partial<Record<"video_url" | "audio_url" | "ref_image_url", string>> = {};
  for (const field of MEDIA_FIELDS) {
    const value = job[field];
    if (value === undefined) continue;
    const wire = WIRE_FIELD[field];
    urls[wire] = isUrl(value) ? value : snapshot.urls[wire];
  }
  const params: LipSyncParams = { video_url: urls.video_url as string, audio_url: urls.audio_url as string };
  if (urls.ref_image_url !== undefined) params.ref_image_url = urls.ref_image_url;
  if (job.video_extension !== undefined) params.video_extension = job.video_extension;
  if (job.query_face_threshold !== undefined) params.query_face_threshold = job.query_face_threshold;
  return params;
}

/**
 * Sends the create with the job's key until it is accepted or refused. Every attempt carries the
 * same key, so a repeat (after a timeout, a reset or a crash) replays the first task instead of
 * billing a second. A 429 never fails a job: it closes the batch's shared gate for `Retry-After`
 * and halves its concurrency, and this create waits at the gate like every other.
 */
export async function createWithKey(
  ctx: RunContext,
  params: LipSyncParams,
  idempotencyKey: string,
): Promise<CreateOutcome> {
  let transientFailures = 0;
  for (;;) {
    try {
      await ctx.rate.acquireCreate(ctx.signal);
    } catch (error) {
      return { kind: "unfinished", error };
    }
    try {
      ctx.stats.createCalls++;
      // maxRetries 0: the batch's shared gate, not each call on its own, decides when to retry.
      const task = await ctx.client.lipSync.create(params, { idempotencyKey, maxRetries: 0, signal: ctx.signal });
      ctx.rate.onAccepted();
      return { kind: "created", task };
    } catch (error) {
      if (ctx.signal.aborted) return { kind: "unfinished", error };
      if (error instanceof APIError && error.status === 429) {
        ctx.stats.rateLimited++;
        const retryAfterMs = ctx.rate.on429(error.retryAfterMs);
        ctx.emit({ type: "rate-limited", retryAfterMs, concurrency: ctx.rate.concurrency });
        continue;
      }
      if (error instanceof InsufficientCreditsError) return { kind: "no-credits", error };
      if (!isTransientError(error)) return { kind: "refused", error };
      transientFailures++;
      if (transientFailures > ctx.maxCreateRetries) return { kind: "unfinished", error };
      try {
        await sleep(ctx.clock, backoffDelayMs(transientFailures, ctx.random), ctx.signal);
      } catch {
        return { kind: "unfinished", error };
      }
    } finally {
      ctx.rate.releaseCreate();
    }
  }
}
