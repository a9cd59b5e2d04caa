import {
  API_KEY_ENV,
  APIConnectionError,
  APIError,
  AuthenticationError,
  InsufficientCreditsError,
  PermissionDeniedError,
  RequestAbortedError,
  ValidationError,
  VideoRetalkError,
} from "@videoretalk/core";
import { TaskCancelledError, TaskFailedError } from "@videoretalk/polling";
import { ExitCode, type ExitCodeValue } from "./exit-codes.js";
import { messageForFlag } from "./flags.js";
import type { CliIO } from "./io.js";
import { terminalSafe } from "./terminal-text.js";

/** Thrown for bad flags found by the CLI itself; exits 2 like a core ValidationError. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The exit code an error stands for. */
export function exitCodeFor(error: unknown): ExitCodeValue {
  if (error instanceof UsageError || error instanceof ValidationError) return ExitCode.Usage;
  if (error instanceof TaskFailedError || error instanceof TaskCancelledError) return ExitCode.TaskFailed;
  if (error instanceof RequestAbortedError) return ExitCode.Interrupted;
  return ExitCode.ApiOrNetwork;
}

function describe(error: unknown): string {
  if (error instanceof ValidationError) return messageForFlag(error.field, error.message);
  if (error instanceof Error) return error.message;
  return String(error);
}

/** What the user can do about an API refusal that the API's own message does not say. */
function hintFor(error: unknown): string | undefined {
  if (error instanceof AuthenticationError) {
    return `authentication failed: check that ${API_KEY_ENV} holds a valid key (https://evolink.ai/dashboard/keys).`;
  }
  if (error instanceof InsufficientCreditsError) return "the account has no credits left: top up, then run again.";
  if (error instanceof PermissionDeniedError) return "this key may not use VideoRetalk or read this task.";
  return undefined;
}

/** Whether a create that failed this way may still have created the task on the server. */
function outcomeUnknown(error: unknown): boolean {
  if (error instanceof APIConnectionError) return error.connected;
  return error instanceof RequestAbortedError || (error instanceof APIError && error.status >= 500);
}

/** How {@link reportError} should describe the run. */
export interface ReportContext {
  /** `--json`: one JSON document on stdout instead of lines on stderr. */
  json: boolean;
  /** The task, once it was created. */
  taskId?: string | undefined;
  /**
   * Whether running the same command again sends the same create body, so that the failed
   * create's `Idempotency-Key` can be reused (false when local files would be uploaded again,
   * under new URLs).
   */
  sameBodyOnRerun?: boolean;
  /**
   * The command has not sent anything yet (its arguments are still being checked), so a
   * validation error exits 2 even though `taskId` is known (`task wait <id> --timeout x`).
   */
  beforeSending?: boolean;
}

/**
 * Prints an error the way the run asked for (one JSON document on stdout with `--json`, lines
 * on stderr otherwise) and returns the exit code. Once a task exists, the output always names it,
 * and unless the task itself failed it says how to pick it up again with `videoretalk task wait`.
 */
export function reportError(error: unknown, io: CliIO, context: ReportContext): ExitCodeValue {
  // A refused task id argument (`task get ..`) names no task: nothing was sent, nothing to resume.
  const refusedId = error instanceof ValidationError && error.field === "task_id";
  const id = refusedId ? undefined : (context.taskId ?? (error instanceof VideoRetalkError ? error.taskId : undefined));
  // Exit 2 promises that nothing was sent. Once a task exists, a late validation failure (a
  // malformed result URL, an output folder that vanished) is an API/IO failure instead.
  const code =
    id && error instanceof ValidationError && !context.beforeSending ? ExitCode.ApiOrNetwork : exitCodeFor(error);
  const taskEnded = error instanceof TaskFailedError || error instanceof TaskCancelledError;
  // A refused argument is fixed by correcting the command, not by resuming it.
  const resume = id && !taskEnded && code !== ExitCode.Usage ? `videoretalk task wait ${id}` : undefined;
  const key = error instanceof VideoRetalkError ? error.idempotencyKey : undefined;
  const retry =
    !id && key && context.sameBodyOnRerun && outcomeUnknown(error)
      ? `the task may have been created; to retry without risking a second one, run the same command with --idempotency-key ${key}`
      : undefined;
  const hint = hintFor(error);
  const message = describe(error);

  if (context.json) {
    const details: Record<string, unknown> = error instanceof VideoRetalkError ? error.toJSON() : {};
    delete details.headers;
    const body: Record<string, unknown> = {
      error: { ...details, name: error instanceof Error ? error.name : "Error", message },
      exitCode: code,
    };
    if (id) body.taskId = id;
    if (hint) body.hint = hint;
    if (resume) body.resume = resume;
    if (retry) body.retry = retry;
    io.stdout.write(`${JSON.stringify(body)}\n`);
    return code;
  }
  // Messages and ids come from the API (or echo it): strip terminal controls before printing.
  const lines =
    code === ExitCode.Interrupted ? ["interrupted: stopped by Ctrl-C"] : [`error: ${terminalSafe(message)}`];
  if (hint) lines.push(`hint: ${hint}`);
  if (id) lines.push(`task id: ${terminalSafe(id)}`);
  if (resume) lines.push(`resume with: ${terminalSafe(resume)}`);
  if (retry) lines.push(retry);
  io.stderr.write(`${lines.join("\n")}\n`);
  return code;
}
