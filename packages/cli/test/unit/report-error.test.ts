import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  AuthenticationError,
  BadRequestError,
  InsufficientCreditsError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestAbortedError,
  type Task,
  ValidationError,
  VideoRetalkError,
} from "@videoretalk/core";
import {
  DownloadError,
  ResultExpiredError,
  TaskCancelledError,
  TaskFailedError,
  WaitTimeoutError,
} from "@videoretalk/polling";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/exit-codes.js";
import { exitCodeFor, reportError, UsageError } from "../../src/report-error.js";
import { controlCharacters } from "../support/control-characters.js";
import { fakeIO } from "../support/fake-io.js";

const ID = "task-unified-1700000000-abcd1234";

function task(overrides: Partial<Task>): Task {
  return {
    id: ID,
    object: "video.generation.task",
    created: 1_700_000_000,
    model: "videoretalk",
    status: "failed",
    progress: 0,
    type: "video",
    ...overrides,
  } as Task;
}

const failedTask = task({
  status: "failed",
  error: { code: "content_policy_violation", message: "Blocked by safety filters.", type: "task_error" },
});
const cancelledTask = task({
  status: "cancelled",
  error: { code: "request_cancelled", message: "Cancelled.", type: "task_error" },
});

function apiError<T extends typeof APIError>(Class: T, status: number, code: string, key?: string): InstanceType<T> {
  return new Class(`${status} ${code}: message`, { status, code, idempotencyKey: key }) as InstanceType<T>;
}

describe("exitCodeFor", () => {
  it.each<[string, unknown, number]>([
    ["UsageError", new UsageError("--threshold …"), 2],
    ["ValidationError", new ValidationError("query_face_threshold", "bad"), 2],
    ["TaskFailedError", new TaskFailedError(failedTask), 1],
    ["TaskCancelledError", new TaskCancelledError(cancelledTask), 1],
    ["RequestAbortedError", new RequestAbortedError("aborted"), 130],
    ["WaitTimeoutError", new WaitTimeoutError(ID, 500, undefined), 3],
    ["BadRequestError", apiError(BadRequestError, 400, "invalid_parameter"), 3],
    ["AuthenticationError", apiError(AuthenticationError, 401, "unauthorized"), 3],
    ["InsufficientCreditsError", apiError(InsufficientCreditsError, 402, "insufficient_quota"), 3],
    ["PermissionDeniedError", apiError(PermissionDeniedError, 403, "model_access_denied"), 3],
    ["NotFoundError", apiError(NotFoundError, 404, "task_not_found"), 3],
    ["RateLimitError", apiError(RateLimitError, 429, "rate_limit_exceeded"), 3],
    ["InternalServerError", apiError(InternalServerError, 500, "internal_error"), 3],
    ["APIError", apiError(APIError, 418, "teapot"), 3],
    ["APIConnectionError", new APIConnectionError("ECONNREFUSED"), 3],
    ["APITimeoutError", new APITimeoutError("timed out"), 3],
    ["ResultExpiredError", new ResultExpiredError({ status: 410, taskId: ID }), 3],
    ["DownloadError", new DownloadError("short", { bytesReceived: 1 }), 3],
    ["VideoRetalkError", new VideoRetalkError("other"), 3],
    ["a plain Error", new Error("boom"), 3],
    ["a thrown string", "boom", 3],
  ])("%s → %d", (_name, error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });

  it("matches the documented table", () => {
    expect(ExitCode).toEqual({ Done: 0, TaskFailed: 1, Usage: 2, ApiOrNetwork: 3, Interrupted: 130 });
  });
});

describe("reportError (text)", () => {
  it("speaks of flags, not wire names, for validation errors", () => {
    const { io, stdout, stderr } = fakeIO();
    const error = new ValidationError(
      "callback_url",
      "callback_url must use https; the API refuses plain http callbacks.",
    );
    expect(reportError(error, io, { json: false })).toBe(2);
    expect(stderr.text).toBe("error: --callback-url must use https; the API refuses plain http callbacks.\n");
    expect(stdout.text).toBe("");
  });

  it("names the task of a failed task but offers no resume (waiting again cannot help)", () => {
    const { io, stderr } = fakeIO();
    expect(reportError(new TaskFailedError(failedTask), io, { json: false, taskId: ID })).toBe(1);
    expect(stderr.text).toContain("content_policy_violation");
    expect(stderr.text).toContain(`task id: ${ID}`);
    expect(stderr.text).not.toContain("task wait");
  });

  it("offers `task wait <id>` after Ctrl-C and after a wait timeout", () => {
    const interrupted = fakeIO();
    expect(reportError(new RequestAbortedError("aborted"), interrupted.io, { json: false, taskId: ID })).toBe(130);
    expect(interrupted.stderr.text).toBe(
      `interrupted: stopped by Ctrl-C\ntask id: ${ID}\nresume with: videoretalk task wait ${ID}\n`,
    );

    const timedOut = fakeIO();
    expect(reportError(new WaitTimeoutError(ID, 500, undefined), timedOut.io, { json: false })).toBe(3);
    expect(timedOut.stderr.text).toContain(`did not finish within 500 ms`);
    expect(timedOut.stderr.text).toContain(`resume with: videoretalk task wait ${ID}`);
  });

  it("offers `task wait <id>` when the download fails after the task completed", () => {
    const { io, stderr } = fakeIO();
    expect(
      reportError(new DownloadError("The connection kept dropping.", { bytesReceived: 5, taskId: ID }), io, {
        json: false,
      }),
    ).toBe(3);
    expect(stderr.text).toContain(`resume with: videoretalk task wait ${ID}`);
  });

  it("explains authentication, credit and permission refusals", () => {
    const auth = fakeIO();
    reportError(apiError(AuthenticationError, 401, "unauthorized"), auth.io, { json: false });
    expect(auth.stderr.text).toMatch(/hint: authentication failed: check that EVOLINK_API_KEY holds a valid key/);
    const credits = fakeIO();
    reportError(apiError(InsufficientCreditsError, 402, "insufficient_quota"), credits.io, { json: false });
    expect(credits.stderr.text).toMatch(/hint: the account has no credits left/);
    const denied = fakeIO();
    reportError(apiError(PermissionDeniedError, 403, "model_access_denied"), denied.io, { json: false });
    expect(denied.stderr.text).toMatch(/hint: this key may not use VideoRetalk/);
  });

  it("offers the idempotency key when a create may or may not have gone through", () => {
    const key = "vr_0123456789abcdef0123456789abcdef";
    for (const error of [
      apiError(InternalServerError, 500, "internal_error", key),
      new APITimeoutError("timed out", { idempotencyKey: key }),
      new RequestAbortedError("aborted", { idempotencyKey: key }),
    ]) {
      const { io, stderr } = fakeIO();
      reportError(error, io, { json: false, sameBodyOnRerun: true });
      expect(stderr.text).toContain(`run the same command with --idempotency-key ${key}`);
    }
    // Not when the API refused before doing any work, nor when a rerun would upload new files.
    const refused = fakeIO();
    reportError(apiError(AuthenticationError, 401, "unauthorized", key), refused.io, {
      json: false,
      sameBodyOnRerun: true,
    });
    expect(refused.stderr.text).not.toContain("--idempotency-key");
    const uploads = fakeIO();
    reportError(apiError(InternalServerError, 500, "internal_error", key), uploads.io, {
      json: false,
      sameBodyOnRerun: false,
    });
    expect(uploads.stderr.text).not.toContain("--idempotency-key");
    // Nor when the connection was never made: nothing can have been created.
    const neverConnected = fakeIO();
    reportError(new APIConnectionError("ECONNREFUSED", { idempotencyKey: key, connected: false }), neverConnected.io, {
      json: false,
      sameBodyOnRerun: true,
    });
    expect(neverConnected.stderr.text).not.toContain("--idempotency-key");
    const maybeSent = fakeIO();
    reportError(new APIConnectionError("ECONNRESET", { idempotencyKey: key, connected: true }), maybeSent.io, {
      json: false,
      sameBodyOnRerun: true,
    });
    expect(maybeSent.stderr.text).toContain(`--idempotency-key ${key}`);
  });

  it("exits 3, not 2, for a validation failure after the task was created (something was sent)", () => {
    const { io, stderr } = fakeIO();
    const late = new ValidationError("results", "results[0] is not an http(s) URL.");
    expect(reportError(late, io, { json: false, taskId: ID })).toBe(3);
    expect(stderr.text).toContain(`resume with: videoretalk task wait ${ID}`);
  });

  it("prints non-Error throws as text", () => {
    const { io, stderr } = fakeIO();
    expect(reportError("weird", io, { json: false })).toBe(3);
    expect(stderr.text).toBe("error: weird\n");
  });
});

describe("reportError (--json)", () => {
  it("writes one JSON document on stdout and nothing on stderr", () => {
    const { io, stdout, stderr } = fakeIO();
    const error = new AuthenticationError("401 unauthorized: Invalid or expired token", {
      status: 401,
      code: "unauthorized",
      requestId: "req-1",
      headers: { "x-request-id": "req-1" },
    });
    expect(reportError(error, io, { json: true })).toBe(3);
    expect(stderr.text).toBe("");
    const body = JSON.parse(stdout.text);
    expect(body).toMatchObject({
      error: { name: "AuthenticationError", status: 401, code: "unauthorized", requestId: "req-1" },
      exitCode: 3,
      hint: expect.stringContaining("EVOLINK_API_KEY"),
    });
    expect(body.error).not.toHaveProperty("headers");
    expect(stdout.text.trim().split("\n")).toHaveLength(1);
  });

  it("carries the task id and the resume command", () => {
    const { io, stdout } = fakeIO();
    reportError(new RequestAbortedError("aborted"), io, { json: true, taskId: ID });
    expect(JSON.parse(stdout.text)).toMatchObject({
      error: { name: "RequestAbortedError" },
      exitCode: 130,
      taskId: ID,
      resume: `videoretalk task wait ${ID}`,
    });
  });

  it("rewrites validation messages to flags", () => {
    const { io, stdout } = fakeIO();
    reportError(new ValidationError("query_face_threshold", "query_face_threshold must be …"), io, { json: true });
    expect(JSON.parse(stdout.text)).toMatchObject({
      error: { name: "ValidationError", field: "query_face_threshold", message: "--threshold must be …" },
      exitCode: 2,
    });
  });
});

describe("reportError: refused arguments and hostile text", () => {
  it("a refused task id (field task_id) exits 2 without naming a task or suggesting a resume", () => {
    const error = new ValidationError("task_id", 'task_id cannot be "..".');
    error.taskId = "..";
    const { io, stderr } = fakeIO();
    expect(reportError(error, io, { json: false, taskId: ".." })).toBe(ExitCode.Usage);
    expect(stderr.text).toBe('error: <id> cannot be "..".\n');
  });

  it("a usage error before anything is sent names no resume command, even with a task id", () => {
    const { io, stderr } = fakeIO();
    expect(
      reportError(new UsageError("--timeout must be …"), io, { json: false, taskId: ID, beforeSending: true }),
    ).toBe(ExitCode.Usage);
    expect(stderr.text).not.toContain("resume with");
    const json = fakeIO();
    reportError(new ValidationError("destination", "bad"), json.io, { json: true, taskId: ID, beforeSending: true });
    expect(JSON.parse(json.stdout.text)).not.toHaveProperty("resume");
    expect(JSON.parse(json.stdout.text).exitCode).toBe(2);
  });

  it("strips terminal controls from the message and the id on stderr, keeps them escaped in JSON", () => {
    const error = new NotFoundError("404 task_not_found: gone\x1b]0;pwned\x07\x1b[2J\nresume with: evil", {
      status: 404,
      code: "task_not_found",
    });
    const { io, stderr } = fakeIO();
    reportError(error, io, { json: false, taskId: `${ID}\x1b[8m` });
    expect(controlCharacters(stderr.text)).toEqual([]);
    expect(stderr.text.split("\n")[0]).toBe("error: 404 task_not_found: gone resume with: evil");
    expect(stderr.text).toContain(`resume with: videoretalk task wait ${ID}\n`);
    const json = fakeIO();
    reportError(error, json.io, { json: true });
    expect(JSON.parse(json.stdout.text).error.message).toContain("\x1b]0;pwned\x07");
  });
});
