import { APIError } from "@videoretalk/core";
import type { BatchClient, CreditsBalance } from "./types.js";

/** The account's balance is clearly below what the batch is expected to cost. */
export class InsufficientBalanceError extends Error {
  override name = "InsufficientBalanceError";
  constructor(
    readonly remainingCredits: number,
    readonly estimatedCredits: number,
  ) {
    super(
      `The account has ${remainingCredits} credits left, clearly below the ${Math.round(estimatedCredits)} this batch is expected to reserve. Top up, lower the batch, or pass --force to start anyway.`,
    );
  }
}

/** Credits the key may still spend: the smaller of the user's and the token's balance. */
export function spendableCredits(balance: CreditsBalance): number {
  if (balance.token?.unlimited_credits) return balance.user.remaining_credits;
  return Math.min(balance.user.remaining_credits, balance.token?.remaining_credits ?? Number.POSITIVE_INFINITY);
}

/**
 * Reads `GET /v1/credits` and refuses to start when the balance is clearly below the estimate:
 * nothing left at all, or less than half of `jobsToCreate × perJob` (capped by what
 * `maxCredits` still allows). Without a per-job estimate only an empty balance is refused. An API
 * without the endpoint (404/405), or a client without `credits.get`, skips the check.
 *
 * @returns the balance read, or undefined when the check was skipped.
 */
export async function checkCredits(
  client: BatchClient,
  need: { jobsToCreate: number; perJob: number | undefined; budgetLeft: number | undefined },
  signal: AbortSignal | undefined,
): Promise<number | undefined> {
  if (!client.credits || need.jobsToCreate === 0) return undefined;
  let balance: CreditsBalance;
  try {
    balance = await client.credits.get({ signal });
  } catch (error) {
    if (error instanceof APIError && (error.status === 404 || error.status === 405)) return undefined;
    throw error;
  }
  const remaining = spendableCredits(balance);
  let estimate = need.perJob === undefined ? 0 : need.jobsToCreate * need.perJob;
  if (need.budgetLeft !== undefined) estimate = Math.min(estimate, need.budgetLeft);
  if (remaining <= 0 || remaining < estimate / 2) throw new InsufficientBalanceError(remaining, estimate);
  return remaining;
}
