import { VideoRetalkError } from "../errors.js";
import { fieldError } from "../failure-loader.js";
import { createBody, createFieldsProblem, idempotencyKeyProblem } from "../field-checks.js";
import { newIdempotencyKey } from "../idempotency-key.js";
import { lazyModule } from "../lazy-module.js";
import type { CreatedTask, LipSyncParams } from "../models.js";
import { OPERATIONS, type RequestBody, type SuccessBody, sendOperation } from "../operations.js";
import { readTaskResult } from "../read-result.js";
import type { CreateRequestOptions } from "../request-options.js";
import type { ResourceContext } from "./context.js";

type CreateBody = RequestBody<"/v1/videos/generations", "post">;
type CreateResponse = SuccessBody<"/v1/videos/generations", "post">;

/** `client.lipSync`: create VideoRetalk lip-sync tasks. */
export interface LipSyncResource {
  /**
   * Creates a lip-sync task (`POST /v1/videos/generations`) and returns it, usually `pending`.
   * Every attempt of one call carries the same `Idempotency-Key`, so retries never bill twice.
   *
   * @example
   * ```ts
   * const task = await client.lipSync.create({
   *   video_url: "https://example.com/speaker.mp4",
   *   audio_url: "https://example.com/speech-de.wav",
   * });
   * console.log(task.id, task.usage?.credits_reserved);
   * ```
   * @throws {ValidationError} for bad parameters, before anything is sent.
   * @throws {APIError} subclasses for HTTP errors; `APIConnectionError` / `APITimeoutError`
   *   when the outcome is unknown. Every error carries `idempotencyKey`: pass it back as
   *   `options.idempotencyKey` to retry without risk of a second task.
   */
  create(params: LipSyncParams, options?: CreateRequestOptions): Promise<CreatedTask>;
}

// Address ranges and URL-ambiguity rules (~2 kB min+gzip): only callers that set a callback load them.
const loadCallbackRules = lazyModule("callback URL check", () => import("../callback-url.js"));

/**
 * `client.lipSync`. `loadRules` is the callback-rules loader, a parameter so tests can make it
 * fail the way a chunk that cannot be fetched does.
 */
export function createLipSyncResource(
  ctx: ResourceContext,
  loadRules: typeof loadCallbackRules = loadCallbackRules,
): LipSyncResource {
  return {
    async create(params, options = {}) {
      let idempotencyKey: string | undefined;
      try {
        if (options.idempotencyKey === undefined) {
          idempotencyKey = newIdempotencyKey();
        } else {
          const keyProblem = idempotencyKeyProblem(options.idempotencyKey);
          if (keyProblem) throw await fieldError(keyProblem, ctx.failures);
          idempotencyKey = options.idempotencyKey;
        }
        // A refused field carries the key too, so the corrected call can reuse it.
        const problem = createFieldsProblem(params);
        if (problem) throw await fieldError(problem, ctx.failures);
        const body: CreateBody = createBody(params);
        if (body.callback_url !== undefined) {
          const { checkCallbackUrl } = await loadRules();
          body.callback_url = checkCallbackUrl(body.callback_url);
        }
        const response = await sendOperation(
          ctx,
          OPERATIONS.createVideoRetalkGeneration,
          { body, headers: { "idempotency-key": idempotencyKey } },
          options,
        );
        return await readTaskResult<CreateResponse>(response, ctx);
      } catch (error) {
        if (error instanceof VideoRetalkError) error.idempotencyKey = idempotencyKey;
        throw error;
      }
    },
  };
}
