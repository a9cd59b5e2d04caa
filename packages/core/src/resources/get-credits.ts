/**
 * `GET /v1/credits`, loaded on the first `client.credits.get()` (see credits.ts): apps that
 * never read the balance never download it.
 */
import type { Credits } from "../models.js";
import { OPERATIONS, type SuccessBody, sendOperation } from "../operations.js";
import { isJsonObject, readJsonResult } from "../read-json-result.js";
import type { RequestOptions } from "../request-options.js";
import type { ResourceContext } from "./context.js";

type CreditsResponse = SuccessBody<"/v1/credits", "get">;

function isCreditsResponse(body: unknown): body is CreditsResponse {
  return (
    isJsonObject(body) &&
    body.success !== false &&
    isJsonObject(body.data) &&
    isJsonObject(body.data.user) &&
    typeof body.data.user.remaining_credits === "number"
  );
}

/** Reads the balance; see `CreditsResource.get`. */
export async function getCredits(ctx: ResourceContext, options: RequestOptions = {}): Promise<Credits> {
  const response = await sendOperation(ctx, OPERATIONS.getCredits, {}, options);
  const body = await readJsonResult(
    response,
    ctx,
    isCreditsResponse,
    "a credit balance ({ data: { user: { remaining_credits } } })",
  );
  return body.data;
}
