import type { Task } from "@videoretalk/core";
import { validateTaskId } from "@videoretalk/core/validation";
import { downloadResult, waitForTask } from "@videoretalk/polling";
import { type ConnectionFlags, cliClock, clientFromFlags, resultDownloadPolicy } from "../client-from-flags.js";
import { ExitCode, type ExitCodeValue } from "../exit-codes.js";
import { formatBytes, formatDuration } from "../format.js";
import type { CliIO } from "../io.js";
import { checkOutputPath, outputPath } from "../output.js";
import { chooseProgress } from "../progress.js";
import { reportError } from "../report-error.js";
import { terminalSafe } from "../terminal-text.js";
import { parseTimeoutMs } from "./lipsync.js";

export interface TaskGetFlags extends ConnectionFlags {
  json?: boolean;
}

/** The task for people; every field is API text, so each goes through {@link terminalSafe}. */
function describeTask(task: Task): string {
  const t = terminalSafe;
  const lines = [`task      ${t(task.id)}`, `status    ${t(task.status)} (${t(task.progress ?? 0)}%)`];
  if (task.model) lines.push(`model     ${t(task.model)}`);
  if (typeof task.created === "number" && Number.isFinite(task.created)) {
    const created = new Date(task.created * 1000);
    if (!Number.isNaN(created.getTime())) lines.push(`created   ${created.toISOString()}`);
  }
  if (task.task_info?.estimated_time !== undefined && task.status !== "completed") {
    lines.push(`estimate  ${t(task.task_info.estimated_time)} s left`);
  }
  if (task.usage?.credits_reserved !== undefined) lines.push(`credits   ${t(task.usage.credits_reserved)} reserved`);
  for (const url of task.results ?? []) lines.push(`result    ${t(url)}`);
  if (task.error) lines.push(`error     ${t(task.error.code)}: ${t(task.error.message)}`);
  return `${lines.join("\n")}\n`;
}

/** `videoretalk task get <id>`: prints the task; exits 0 whatever its status. */
export async function runTaskGet(taskId: string, flags: TaskGetFlags, io: CliIO): Promise<ExitCodeValue> {
  const json = flags.json === true;
  try {
    validateTaskId(taskId);
    const task = await clientFromFlags(flags, io).tasks.get(taskId, { signal: io.signal });
    io.stdout.write(json ? `${JSON.stringify(task)}\n` : describeTask(task));
    return ExitCode.Done;
  } catch (error) {
    return reportError(error, io, { json });
  }
}

export interface TaskWaitFlags extends ConnectionFlags {
  json?: boolean;
  out?: string;
  download: boolean;
  timeout?: string;
}

/**
 * `videoretalk task wait <id>`: waits for a task (e.g. after Ctrl-C or `--no-wait`), then saves
 * the result to `--out` (default `./<id>.mp4`) unless `--no-download`.
 */
export async function runTaskWait(taskId: string, flags: TaskWaitFlags, io: CliIO): Promise<ExitCodeValue> {
  const json = flags.json === true;
  const clock = cliClock(io);
  const started = clock.now();
  const view = chooseProgress(io.stderr, json);
  // Until the first request, a refused argument exits 2 and suggests no resume.
  let beforeSending = true;
  try {
    validateTaskId(taskId);
    const timeoutMs = parseTimeoutMs(flags.timeout);
    if (flags.download) await checkOutputPath(flags.out, io.cwd);
    const client = clientFromFlags(flags, io);
    beforeSending = false;
    const done = await waitForTask(client, taskId, {
      signal: io.signal,
      timeoutMs,
      // The client's clock too: the time left is handed to each read as its deadline.
      clock,
      onProgress: (task: Task) => view.task(task),
    });
    view.task(done);
    let output: { path: string; bytes: number } | undefined;
    if (flags.download) {
      const path = outputPath(flags.out, done.id, io.cwd);
      const { bytes } = await downloadResult(done, path, {
        ...resultDownloadPolicy(flags, io),
        signal: io.signal,
        // Idle timeout and waits between resumes on the same clock as the wait.
        clock,
        onProgress: ({ receivedBytes, totalBytes }) => view.download(receivedBytes, totalBytes),
      });
      output = { path, bytes };
    }
    view.stop();
    const elapsedMs = clock.now() - started;
    if (json) {
      io.stdout.write(`${JSON.stringify({ ...done, ...(output ? { output } : {}), elapsedMs })}\n`);
    } else {
      const lines = [`done in ${formatDuration(elapsedMs)}`, `  task     ${terminalSafe(done.id)}`];
      if (output) lines.push(`  output   ${terminalSafe(output.path)} (${formatBytes(output.bytes)})`);
      else lines.push(`  result   ${terminalSafe(done.results[0])}`);
      io.stdout.write(`${lines.join("\n")}\n`);
    }
    return ExitCode.Done;
  } catch (error) {
    view.stop();
    return reportError(error, io, { json, taskId, beforeSending });
  }
}
