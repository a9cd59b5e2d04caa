import type { Credits } from "../models.js";
import type { RequestOptions } from "../request-options.js";
import type { ResourceContext } from "./context.js";
import { loadOccasionalReads, type OccasionalReads } from "./occasional-reads-loader.js";

/** `client.credits`: the account's credit balance. */
export interface CreditsResource {
  /**
   * Reads the credit balance (`GET /v1/credits`) and returns its `data`: `user` is the
   * account's balance, `token` the calling key's own limit. Retried like any read.
   *
   * @example
   * ```ts
   * const credits = await client.credits.get();
   * console.log(credits.user.remaining_credits);
   * if (credits.token && !credits.token.unlimited_credits) console.log(credits.token.remaining_credits);
   * ```
   * @throws {AuthenticationError} for a bad key; other `APIError` subclasses for HTTP errors.
   */
  get(options?: RequestOptions): Promise<Credits>;
}

/** `client.credits`; `load` is a parameter so tests can make it fail like an unreachable chunk. */
export function createCreditsResource(
  ctx: ResourceContext,
  // The balance reader is loaded on first use; a minimal create-and-read app never downloads it.
  load: () => Promise<Pick<OccasionalReads, "getCredits">> = loadOccasionalReads,
): CreditsResource {
  return {
    async get(options) {
      return (await load()).getCredits(ctx, options);
    },
  };
}
