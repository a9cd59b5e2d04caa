import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import {
  checkLipSyncInputs,
  type InputName,
  type LipSyncCheck,
  MEDIA_LIMITS_VERSION,
  type MediaFacts,
} from "@videoretalk/preflight";
import { formatBytes } from "./format.js";
import { UsageError } from "./report-error.js";
import { terminalSafe } from "./terminal-text.js";

/**
 * The media pre-check shared by `videoretalk check` and `videoretalk lipsync`: inspects the
 * inputs with @videoretalk/preflight (local files read in place, URLs by Range requests) and
 * prints what was found, every problem and the billable seconds.
 */

/** The media flags as given. */
export interface MediaFlags {
  video: string;
  audio: string;
  refImage?: string | undefined;
  extend?: boolean | undefined;
}

const URL_PATTERN = /^https?:\/\//i;

/** A URL as is, or a local path resolved against `cwd`; a missing file is a usage error. */
async function sourceFor(flag: string, value: string, cwd: string): Promise<string> {
  if (URL_PATTERN.test(value)) return value;
  const path = resolve(cwd, value);
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new UsageError(`${flag}: no such file: ${value} (give an http(s) URL or a local file).`);
  if (!info.isFile()) throw new UsageError(`${flag}: ${value} is not a file.`);
  return path;
}

/** Inspects the inputs and checks them against the limits table. */
export async function preflight(flags: MediaFlags, cwd: string, signal?: AbortSignal): Promise<LipSyncCheck> {
  const video = await sourceFor("--video", flags.video, cwd);
  const audio = await sourceFor("--audio", flags.audio, cwd);
  const refImage = flags.refImage === undefined ? undefined : await sourceFor("--ref-image", flags.refImage, cwd);
  return checkLipSyncInputs(
    {
      video,
      audio,
      ...(refImage === undefined ? {} : { ref_image: refImage }),
      video_extension: flags.extend === true,
    },
    signal ? { signal } : {},
  );
}

/** One line of facts: `mp4, 4.00 s, 640×640, 25 fps, h264 + aac, 91.1 kB`. */
export function describeFacts(facts: MediaFacts): string {
  if (facts.kind === "unknown") return `not media, ${formatBytes(facts.sizeBytes)}`;
  const parts = [facts.container];
  if (facts.kind !== "image") parts.push(`${facts.durationS.toFixed(2)} s`);
  if (facts.width !== undefined && facts.height !== undefined) parts.push(`${facts.width}×${facts.height}`);
  if (facts.fps !== undefined) parts.push(`${Number(facts.fps.toFixed(3))} fps`);
  const codecs = [facts.videoCodec, facts.audioCodec].filter((codec) => codec !== undefined);
  if (codecs.length > 0) parts.push(codecs.join(" + "));
  parts.push(formatBytes(facts.sizeBytes));
  return parts.join(", ");
}

/** The report for people: facts per input, problems, billable seconds. */
export function formatCheck(check: LipSyncCheck, labels: Partial<Record<InputName, string>>): string {
  const lines: string[] = [];
  for (const input of ["video", "audio", "ref_image"] as const) {
    const label = labels[input];
    if (label === undefined) continue;
    const facts = check.facts[input];
    lines.push(`${input.padEnd(9)} ${terminalSafe(label)}: ${facts ? describeFacts(facts) : "could not be read"}`);
  }
  if (check.problems.length === 0) lines.push("problems  none");
  else {
    lines.push("problems");
    for (const problem of check.problems)
      lines.push(`  ${problem.severity.padEnd(6)} ${terminalSafe(problem.message)}`);
  }
  const billable = check.billableSeconds === undefined ? "unknown" : `${check.billableSeconds.toFixed(2)} s`;
  lines.push(`billable  ${billable}`);
  return `${lines.join("\n")}\n`;
}

/** The JSON document of `check --json`. */
export function checkJson(check: LipSyncCheck): Record<string, unknown> {
  return { ...check, limitsVersion: MEDIA_LIMITS_VERSION };
}
