import { type Task, VideoRetalkError } from "@videoretalk/core";

/**
 * Errors of the task lifecycle. All extend core's `VideoRetalkError`, so one `instanceof` check
 * covers every SDK failure; each carries the `taskId` it is about.
 */

/**
 * The task ended with `status: "failed"` (or completed without any result URL, `code:
 * "missing_results"`). `code` and `message` are the API's; see the Error Codes Reference.
 */
export class TaskFailedError extends VideoRetalkError {
  override name = "TaskFailedError";
  static override readonly errorBrand: string = "@videoretalk/polling:TaskFailedError";
  /** The failed task as last read. */
  task: Task;
  /** Business code such as `content_policy_violation`; a number on older gateways. */
  code: string | number | undefined;
  /** The API's own explanation (`task.error.message`), without the SDK's prefix. */
  apiMessage: string | undefined;

  constructor(
    task: Task,
    init: { code?: string | number | undefined; message?: string; requestId?: string | undefined } = {},
  ) {
    const code = init.code ?? task.error?.code;
    const apiMessage = init.message ?? task.error?.message;
    super(`Task ${task.id} failed${code !== undefined ? ` (${code})` : ""}: ${apiMessage ?? "no reason given"}`, {
      taskId: task.id,
      requestId: init.requestId,
    });
    this.task = task;
    this.code = code;
    this.apiMessage = apiMessage;
  }
}

/** The task ended with `status: "cancelled"`; resubmit to try again. */
export class TaskCancelledError extends VideoRetalkError {
  override name = "TaskCancelledError";
  static override readonly errorBrand: string = "@videoretalk/polling:TaskCancelledError";
  /** The cancelled task as last read. */
  task: Task;

  constructor(task: Task, init: { requestId?: string | undefined } = {}) {
    super(`Task ${task.id} was cancelled${task.error?.message ? `: ${task.error.message}` : "."}`, {
      taskId: task.id,
      requestId: init.requestId,
    });
    this.task = task;
  }
}

/** The wait ran past its `timeoutMs`; the task may still finish — wait again with its id. */
export class WaitTimeoutError extends VideoRetalkError {
  override name = "WaitTimeoutError";
  static override readonly errorBrand: string = "@videoretalk/polling:WaitTimeoutError";
  /** The last task read before the time ran out, if any read succeeded. */
  task: Task | undefined;
  /** The time limit that ran out, in ms. */
  timeoutMs: number;

  /**
   * @param init.cause The read cut off by the time limit, or the last transient failure when
   *   the API could not be reached at the end.
   */
  constructor(taskId: string, timeoutMs: number, task: Task | undefined, init: { cause?: unknown } = {}) {
    super(
      `Task ${taskId} did not finish within ${timeoutMs} ms${task ? ` (last status: ${task.status}, progress ${task.progress ?? 0}%)` : ""}.`,
      { taskId, cause: init.cause },
    );
    this.task = task;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The result link answered 403, 404 or 410: result URLs expire 24 hours after the task
 * finishes. Read the task again for a fresh link if it is recent, otherwise resubmit.
 */
export class ResultExpiredError extends VideoRetalkError {
  override name = "ResultExpiredError";
  static override readonly errorBrand: string = "@videoretalk/polling:ResultExpiredError";
  /** How old the task was when the download failed, in ms, when known. */
  taskAgeMs: number | undefined;

  constructor(init: { status: number; taskId?: string | undefined; taskAgeMs?: number | undefined }) {
    const age =
      init.taskAgeMs === undefined ? "" : ` The task was created ${(init.taskAgeMs / 3_600_000).toFixed(1)} hours ago.`;
    super(
      `The result link answered HTTP ${init.status}: it has most likely expired (result links are kept for 24 hours).${age}`,
      { status: init.status, taskId: init.taskId },
    );
    this.taskAgeMs = init.taskAgeMs;
  }
}

/** The download could not be completed: the size did not match `Content-Length`, or resumes ran out. */
export class DownloadError extends VideoRetalkError {
  override name = "DownloadError";
  static override readonly errorBrand: string = "@videoretalk/polling:DownloadError";
  /** Bytes received before the failure. */
  bytesReceived: number;
  /** Bytes announced by the server, when it said. */
  expectedBytes: number | undefined;

  constructor(
    message: string,
    init: {
      bytesReceived: number;
      expectedBytes?: number | undefined;
      status?: number;
      taskId?: string;
      cause?: unknown;
    },
  ) {
    super(message, { status: init.status, taskId: init.taskId, cause: init.cause });
    this.bytesReceived = init.bytesReceived;
    this.expectedBytes = init.expectedBytes;
  }
}

/**
 * The result is larger than `maxBytes` (default 2 GiB): refused up front when `Content-Length`
 * (or `Content-Range`) announced it, or stopped as soon as a body without a length grew past it.
 * Nothing is kept: a file download's temp file is deleted. Raise `maxBytes` to allow it.
 *
 * @example
 * ```ts
 * try {
 *   await downloadResult(task, "./out.mp4", { maxBytes: 500 * 1024 * 1024 });
 * } catch (err) {
 *   if (err instanceof DownloadTooLargeError) console.error(`over ${err.maxBytes} bytes`);
 *   else throw err;
 * }
 * ```
 */
export class DownloadTooLargeError extends DownloadError {
  override name = "DownloadTooLargeError";
  static override readonly errorBrand: string = "@videoretalk/polling:DownloadTooLargeError";
  /** The limit that was exceeded, in bytes. */
  maxBytes: number;

  constructor(init: {
    maxBytes: number;
    bytesReceived: number;
    expectedBytes?: number | undefined;
    taskId?: string | undefined;
  }) {
    const size =
      init.expectedBytes === undefined
        ? `grew past ${init.maxBytes} bytes`
        : `is ${init.expectedBytes} bytes (announced by the server)`;
    super(
      `The result ${size}, more than maxBytes (${init.maxBytes}); the download was stopped. Pass a larger maxBytes to allow it.`,
      { bytesReceived: init.bytesReceived, expectedBytes: init.expectedBytes, taskId: init.taskId },
    );
    this.maxBytes = init.maxBytes;
  }
}

/**
 * `downloadResult` refused to send a request to this target: not https, or a host that is
 * loopback, private, link-local (such as the cloud metadata address 169.254.169.254) or
 * otherwise not public — as written in the URL, reached by a redirect, or (Node.js) as its name
 * resolved in DNS. Nothing was sent to it. Pass `allowPrivateNetwork: true` to allow private
 * and plain-http targets, e.g. a local emulator.
 *
 * The message names the host only: a result URL's query string may hold a signed token.
 *
 * @example
 * ```ts
 * try {
 *   await downloadResult(taskFromWebhook, "./out.mp4");
 * } catch (err) {
 *   if (err instanceof DownloadTargetRefusedError) console.warn(`refused ${err.host}: ${err.reason}`);
 *   else throw err;
 * }
 * ```
 */
export class DownloadTargetRefusedError extends VideoRetalkError {
  override name = "DownloadTargetRefusedError";
  static override readonly errorBrand: string = "@videoretalk/polling:DownloadTargetRefusedError";
  /** The refused URL's host (`hostname[:port]`), without path or query. */
  host: string;
  /** Why it was refused, e.g. `a loopback address (127.0.0.0/8)` or `plain http`. */
  reason: string;
  /** How many redirects led to it: `0` for the URL that was passed in. */
  redirects: number;

  /**
   * @param init.allowable `false` when `allowPrivateNetwork` would not help (e.g. a `file:`
   *   redirect), so the message does not suggest it.
   */
  constructor(init: {
    host: string;
    reason: string;
    redirects: number;
    taskId?: string | undefined;
    allowable?: boolean;
  }) {
    const via = init.redirects === 0 ? "" : ` (reached by redirect ${init.redirects})`;
    const advice =
      init.allowable === false
        ? ""
        : " Results are downloaded only from public https hosts; pass allowPrivateNetwork: true to allow private, loopback and plain-http targets (e.g. a local emulator).";
    super(`Refused to download from ${init.host}${via}: it is ${init.reason}.${advice}`, { taskId: init.taskId });
    this.host = init.host;
    this.reason = init.reason;
    this.redirects = init.redirects;
  }
}
