/**
 * Turning a failed call into its typed error, with the code that writes the detailed message
 * (failure-path.ts) loaded on demand. If that code cannot load (a browser that went offline
 * cannot fetch the chunk either), the error still has the right class, status, request id,
 * idempotency key and task id, with a shorter message.
 */
import { APIConnectionError, type APIError, ValidationError } from "./errors.js";
import type { FieldProblem } from "./field-checks.js";
import { lazyModule } from "./lazy-module.js";
import { redactText } from "./redact.js";
import { requestIdFrom } from "./response-parts.js";
import { errorClassForStatus } from "./status-error-class.js";
import type { BufferedResponse } from "./transport.js";

export type FailurePath = typeof import("./failure-path.js");
/** Resolves to failure-path.ts; rejects when it cannot be loaded. */
export type LoadFailurePath = () => Promise<FailurePath>;

/** The browser build's loader: one `import()`, tried again on the next failure if it failed. */
export const loadFailurePathLazily: LoadFailurePath = lazyModule("error reporting", () => import("./failure-path.js"));

/**
 * Loads, ahead of time, the code that browser builds otherwise fetch on a call's first failure
 * (the retry loop and the error descriptions). Only tests need it: with an injected fake `clock`,
 * a first failure that is still loading that code has no timer pending, so a clock that only
 * advances through pending timers would stop. Resolves at once on Node, which loads it up front.
 *
 * @example
 * ```ts
 * import { loadFailureCode } from "@videoretalk/core";
 *
 * beforeAll(() => loadFailureCode());
 * ```
 * @throws {APIConnectionError} when the code cannot be loaded.
 */
export async function loadFailureCode(): Promise<void> {
  await loadFailurePathLazily();
}

/** What reading a response needs besides the response itself. */
export interface FailureContext {
  secrets: readonly string[];
  now: () => number;
  taskId?: string | undefined;
  /** Default: {@link loadFailurePathLazily}. */
  failures?: LoadFailurePath | undefined;
}

/** `describeResponse` (describe-response.ts), loaded on demand, with a shorter message if it cannot load. */
export async function responseError(
  response: BufferedResponse,
  context: FailureContext,
  shape: string,
  body: unknown,
): Promise<APIError> {
  let failures: FailurePath;
  try {
    failures = await (context.failures ?? loadFailurePathLazily)();
  } catch (loadError) {
    return responseErrorWithoutDetail(response, context, loadError);
  }
  return failures.describeResponse(response, context, shape, body);
}

function responseErrorWithoutDetail(response: BufferedResponse, context: FailureContext, loadError: unknown): APIError {
  const { status, headers } = response;
  const requestId = requestIdFrom(headers, context.secrets);
  const ErrorClass = errorClassForStatus(response.ok ? 0 : status);
  // Only the delta-seconds form: the HTTP-date form needs the full parser, which is in the chunk
  // that could not load.
  const retryAfterSeconds = Number(headers.get("retry-after") || Number.NaN);
  return new ErrorClass(`${status}: not described, the SDK's error-reporting code did not load.`, {
    status,
    requestId,
    retryAfterMs: retryAfterSeconds >= 0 ? Math.round(retryAfterSeconds * 1000) : undefined,
    idempotencyKey: response.idempotencyKey,
    taskId: context.taskId,
    // The load failure (its own message names the chunk), never anything from the response.
    cause: loadError,
  });
}

/**
 * The error for a fetch that threw, when the code that classifies and describes it cannot load:
 * the thrown message with secrets removed, and `connected` left true (the request may have
 * reached the API), so nobody retries a create on the strength of a guess.
 */
export function connectionErrorWithoutDetail(
  label: string,
  thrown: unknown,
  secrets: readonly string[],
  idempotencyKey: string | undefined,
): APIConnectionError {
  const reason = redactText(thrown instanceof Error ? thrown.message : String(thrown), secrets);
  return new APIConnectionError(`${label} failed: ${reason}.`, { idempotencyKey, connected: true });
}

/**
 * The `ValidationError` for refused input, with its full message when the message code loads
 * (it always does on Node), else a shorter one that still names the field and the rule.
 */
export async function fieldError(problem: FieldProblem, failures?: LoadFailurePath): Promise<ValidationError> {
  try {
    return (await (failures ?? loadFailurePathLazily)()).fieldProblemError(problem);
  } catch {
    return new ValidationError(problem.field, `${problem.field} was refused (rule: ${problem.rule}).`);
  }
}
