import { type Task, ValidationError } from "@videoretalk/core";
import type { DownloadSettings } from "./options.js";
import { checkTarget } from "./target-rules.js";

/** The URL to fetch and what is known about the task it came from. */
export interface DownloadSource {
  url: string;
  taskId: string | undefined;
  /** `task.created`, in Unix seconds, when a task was passed. */
  taskCreated: number | undefined;
}

/** The URL of `task.results[index]`, after checking the task can have one. */
function resultUrlOf(task: Task, index: number): string {
  const taskId = typeof task.id === "string" ? task.id : undefined;
  const name = taskId ?? "(no id)";
  if (task.status !== "completed") {
    throw new ValidationError(
      "status",
      `Task ${name} is ${String(task.status)}; only a completed task has a result to download. Wait for it with waitForTask() first.`,
      { taskId },
    );
  }
  const results = task.results;
  if (!Array.isArray(results) || results.length === 0) {
    throw new ValidationError("results", `Task ${name} is completed but has no result URL.`, { taskId });
  }
  const candidate = results[index];
  if (typeof candidate !== "string") {
    throw new ValidationError("index", `Task ${name} has ${results.length} result(s); index ${index} does not exist.`, {
      taskId,
    });
  }
  return candidate;
}

/**
 * Reads the URL to download and checks it against the target rules (scheme and literal host);
 * nothing is sent.
 *
 * @throws {ValidationError} a task without a usable result, a bad `index`, or a URL that is
 *   not absolute http(s).
 * @throws {DownloadTargetRefusedError} the URL is not a public https target and
 *   `allowPrivateNetwork` is off.
 */
export function resolveSource(
  taskOrUrl: Task | string,
  index: number | undefined,
  settings: Pick<DownloadSettings, "allowPrivateNetwork">,
): DownloadSource {
  const resultIndex = index ?? 0;
  if (!Number.isInteger(resultIndex) || resultIndex < 0) {
    throw new ValidationError("index", `index must be a non-negative integer, got ${String(index)}.`);
  }
  let url: string;
  let taskId: string | undefined;
  let taskCreated: number | undefined;
  if (typeof taskOrUrl === "string") {
    url = taskOrUrl;
  } else if (taskOrUrl !== null && typeof taskOrUrl === "object") {
    taskId = typeof taskOrUrl.id === "string" ? taskOrUrl.id : undefined;
    taskCreated = typeof taskOrUrl.created === "number" ? taskOrUrl.created : undefined;
    url = resultUrlOf(taskOrUrl, resultIndex);
  } else {
    throw new ValidationError("task", "Pass a completed task or its result URL.");
  }

  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The URL may carry a signed token: name only that it is unreadable.
    throw new ValidationError("results", "The result URL is not a valid absolute URL.", { taskId });
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new ValidationError("results", `The result URL must be http or https, got ${parsed.protocol}`, { taskId });
  }
  checkTarget(parsed, { allowPrivateNetwork: settings.allowPrivateNetwork, redirects: 0, taskId });
  return { url, taskId, taskCreated };
}
