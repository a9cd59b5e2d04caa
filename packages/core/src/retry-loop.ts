/**
 * The rest of a call whose first attempt did not succeed: classify the failure, wait and retry
 * where that is safe, log each retry, and describe the failure when the call gives up. Loaded
 * with the other failure code (failure-path.ts), so a call that succeeds at once never needs it.
 */
import { sleep } from "./clock.js";
import { connectionError } from "./connection-error.js";
import { RequestAbortedError } from "./errors.js";
import { log } from "./logger.js";
import { classifyFetchError } from "./network-error.js";
import { type AttemptOutcome, isRetryable, parseRetryAfterMs, retryDelay } from "./retry.js";
import { type AttemptResult, type BufferedResponse, bufferedResponse, type CallInProgress } from "./transport.js";

/**
 * Retries `call` after the attempt that returned `first`, within its retry budget, policy and
 * deadline. Resolves with the final response (an HTTP error included: the reader turns it into
 * the typed error) and rejects with the error of the last attempt that got no response.
 */
export async function continueCall(first: AttemptResult, call: CallInProgress): Promise<BufferedResponse> {
  const { config, idempotencyKey, label } = call;
  const { clock } = config;
  let result = first;
  for (let retry = 0; ; retry++) {
    if (result.ok && result.response.ok) return bufferedResponse(result, idempotencyKey);
    if ("error" in result && result.error instanceof RequestAbortedError) throw result.error;
    const outcome = outcomeOf(result);
    const retryAfterMs = result.ok
      ? parseRetryAfterMs(result.response.headers.get("retry-after"), clock.now())
      : undefined;
    const next =
      retry < call.maxRetries && isRetryable(call.policy, outcome)
        ? retryDelay(retry + 1, retryAfterMs, config.random)
        : undefined;
    if (!next?.retry || clock.now() + next.delayMs >= call.deadlineAt) return giveUp(result, outcome, call);

    const why = outcome.kind === "response" ? `HTTP ${outcome.status}` : outcome.kind;
    call.observer?.retry(why, next.delayMs);
    log(
      config.logger,
      config.secrets,
      "warn",
      `${label()}: ${why}; retry ${retry + 1}/${call.maxRetries} in ${next.delayMs} ms`,
      {
        retry: retry + 1,
        delayMs: next.delayMs,
        ...(idempotencyKey ? { idempotencyKey } : {}),
      },
    );
    try {
      await sleep(clock, next.delayMs, call.signal);
    } catch {
      config.timeouts?.clearIfIdle();
      throw new RequestAbortedError(`${label()} was aborted while waiting to retry.`, { idempotencyKey });
    }
    result = await call.attempt(retry + 1);
  }
}

function outcomeOf(result: AttemptResult): AttemptOutcome {
  if (result.ok) return { kind: "response", status: result.response.status };
  return "error" in result ? result.outcome : classifyFetchError(result.thrown);
}

function giveUp(result: AttemptResult, outcome: AttemptOutcome, call: CallInProgress): BufferedResponse {
  if (result.ok) return bufferedResponse(result, call.idempotencyKey);
  if ("error" in result) throw result.error;
  throw connectionError({
    label: call.label(),
    thrown: result.thrown,
    secrets: call.config.secrets,
    idempotencyKey: call.idempotencyKey,
    connected: outcome.kind !== "connect-failed",
  });
}
