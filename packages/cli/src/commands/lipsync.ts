import type { LipSyncParams, Task } from "@videoretalk/core";
import { validateCreateParams, validateIdempotencyKey } from "@videoretalk/core/validation";
import { downloadResult, waitForTask } from "@videoretalk/polling";
import { type ConnectionFlags, cliClock, clientFromFlags, resultDownloadPolicy } from "../client-from-flags.js";
import { ExitCode, type ExitCodeValue } from "../exit-codes.js";
import { formatBytes, formatDuration } from "../format.js";
import { type MediaInput, placeholderUrl, resolveMediaInput } from "../inputs.js";
import type { CliIO } from "../io.js";
import { checkOutputPath, outputPath } from "../output.js";
import { preflightGate } from "../preflight-gate.js";
import { chooseProgress } from "../progress.js";
import { reportError, UsageError } from "../report-error.js";
import { terminalSafe } from "../terminal-text.js";

export interface LipSyncFlags extends ConnectionFlags {
  video: string;
  audio: string;
  refImage?: string;
  extend?: boolean;
  threshold?: string;
  callbackUrl?: string;
  out?: string;
  wait: boolean;
  json?: boolean;
  timeout?: string;
  idempotencyKey?: string;
  /** `--no-check` sets it to false: skip the media pre-check. */
  check?: boolean;
  /** `--force`: proceed past pre-check refusals. */
  force?: boolean;
}

/** `--threshold` as an integer, or a usage error naming the flag. */
export function parseThreshold(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim())) {
    throw new UsageError(`--threshold must be an integer from 120 to 200 (default 170), got "${value}".`);
  }
  return Number(value);
}

/** `--timeout` in seconds → ms (default 30 min). */
export function parseTimeoutMs(value: string | undefined): number {
  if (value === undefined) return 30 * 60_000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`--timeout must be a positive number of seconds, got "${value}".`);
  return Math.round(seconds * 1000);
}

/**
 * `videoretalk lipsync`: validate everything, upload local files, create the task, wait with
 * progress, download the result, print a summary. Returns the exit code.
 */
export async function runLipSync(flags: LipSyncFlags, io: CliIO): Promise<ExitCodeValue> {
  const json = flags.json === true;
  const clock = cliClock(io);
  const started = clock.now();
  const view = chooseProgress(io.stderr, json);
  let taskId: string | undefined;
  let sameBodyOnRerun = false;
  try {
    // Everything that can be checked locally is checked before the first byte is sent.
    const threshold = parseThreshold(flags.threshold);
    const timeoutMs = parseTimeoutMs(flags.timeout);
    const media: Record<"video_url" | "audio_url" | "ref_image_url", MediaInput | undefined> = {
      video_url: await resolveMediaInput("--video", flags.video, io.cwd),
      audio_url: await resolveMediaInput("--audio", flags.audio, io.cwd),
      ref_image_url: flags.refImage ? await resolveMediaInput("--ref-image", flags.refImage, io.cwd) : undefined,
    };
    const params: LipSyncParams = {
      video_url: placeholderUrl(media.video_url as MediaInput),
      audio_url: placeholderUrl(media.audio_url as MediaInput),
    };
    if (media.ref_image_url) params.ref_image_url = placeholderUrl(media.ref_image_url);
    if (flags.extend) params.video_extension = true;
    if (threshold !== undefined) params.query_face_threshold = threshold;
    if (flags.callbackUrl !== undefined) params.callback_url = flags.callbackUrl;
    validateCreateParams(params);
    if (flags.idempotencyKey !== undefined) validateIdempotencyKey(flags.idempotencyKey);
    if (flags.wait) await checkOutputPath(flags.out, io.cwd);
    // Media outside VideoRetalk's limits would fail after upload and a billed create: stop here.
    const refusal = await preflightGate(flags, io);
    if (refusal !== undefined) {
      view.stop();
      return refusal;
    }
    const client = clientFromFlags(flags, io);
    // Local files are uploaded again (under new URLs) on a rerun, so only URL inputs give the
    // same create body, which reusing an Idempotency-Key requires.
    sameBodyOnRerun = Object.values(media).every((input) => input === undefined || input.kind === "url");

    for (const field of ["video_url", "audio_url", "ref_image_url"] as const) {
      const input = media[field];
      if (input?.kind !== "file") continue;
      const label = input.path.split(/[\\/]/).pop() ?? field;
      params[field] = await client.files.upload(input.path, {
        signal: io.signal,
        onProgress: ({ sentBytes, totalBytes }) => view.upload(label, sentBytes, totalBytes),
      });
    }

    const created = await client.lipSync.create(params, { signal: io.signal, idempotencyKey: flags.idempotencyKey });
    taskId = created.id;
    view.note(
      `created task ${terminalSafe(created.id)}${created.usage?.credits_reserved !== undefined ? ` (${terminalSafe(created.usage.credits_reserved)} credits reserved)` : ""}`,
    );
    if (!flags.wait) {
      view.stop();
      if (json) io.stdout.write(`${JSON.stringify(created)}\n`);
      else {
        io.stderr.write(`not waiting; follow it with: videoretalk task wait ${terminalSafe(created.id)}\n`);
        io.stdout.write(`${terminalSafe(created.id)}\n`);
      }
      return ExitCode.Done;
    }

    // The create response seeds the time-left estimate (it carries task_info.estimated_time).
    view.task(created);
    const done = await waitForTask(client, created.id, {
      signal: io.signal,
      timeoutMs,
      // The client's clock too: the time left is handed to each read as its deadline.
      clock,
      onProgress: (task: Task) => view.task(task),
    });
    view.task(done);
    const path = outputPath(flags.out, done.id, io.cwd);
    const { bytes } = await downloadResult(done, path, {
      ...resultDownloadPolicy(flags, io),
      signal: io.signal,
      // Idle timeout and waits between resumes on the same clock as the wait.
      clock,
      onProgress: ({ receivedBytes, totalBytes }) => view.download(receivedBytes, totalBytes),
    });
    view.stop();
    const elapsedMs = clock.now() - started;
    if (json) {
      io.stdout.write(`${JSON.stringify({ ...done, output: { path, bytes }, elapsedMs })}\n`);
    } else {
      io.stdout.write(
        [
          `done in ${formatDuration(elapsedMs)}`,
          `  task     ${terminalSafe(done.id)}`,
          `  credits  ${terminalSafe(created.usage?.credits_reserved ?? "?")} reserved`,
          `  output   ${terminalSafe(path)} (${formatBytes(bytes)})`,
          "",
        ].join("\n"),
      );
    }
    return ExitCode.Done;
  } catch (error) {
    view.stop();
    return reportError(error, io, { json, taskId, sameBodyOnRerun });
  }
}
