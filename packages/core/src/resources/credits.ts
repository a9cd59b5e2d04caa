import type { Credits } from "../models.js";
import { OPERATIONS, type SuccessBody, sendOperation } from "../operations.js";
import { isJsonObject, readJsonResult } from "../read-json-result.js";
import type { RequestOptions } from "../request-options.js";
import type { ResourceContext } from "./context.js";

type CreditsResponse = SuccessBody<"/v1/credits", "get">;

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

function isCreditsResponse(body: unknown): body is CreditsResponse {
  return (
    isJsonObject(body) &&
    body.success !== false &&
    isJsonObject(body.data) &&
    isJsonObject(body.data.user) &&
    typeof body.data.user.remaining_credits === "number"
  );
}

export function createCreditsResource(ctx: ResourceContext): CreditsResource {
  return {
    async get(options = {}) {
      const response = await sendOperation(ctx, OPERATIONS.getCredits, {}, options);
      const body = readJsonResult(
        response,
        { secrets: ctx.secrets, now: ctx.now },
        isCreditsResponse,
        "a credit balance ({ data: { user: { remaining_credits } } })",
      );
      return body.data;
    },
  };
}
