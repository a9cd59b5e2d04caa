import table from "../../../spec/media-limits.json";
import type { EmulatorContext } from "./context.js";
import { resolveHosted } from "./context.js";
import { type ProbedMedia, probeMedia } from "./media-probe.js";
import type { TaskOutcome } from "./timeline.js";
import type { CreateParams } from "./validate-create.js";

/**
 * Fails a task whose hosted inputs break a "refuse" row of spec/media-limits.json (bundled at
 * build time, the same table @videoretalk/preflight checks), the way the API fails tasks whose
 * media is outside the model's limits: a failed task with `invalid_parameters`. Only media the
 * emulator hosts (uploads, /samples) can be probed; other URLs are not judged.
 */

interface LimitRow {
  id: string;
  input: string;
  property: string;
  min?: number;
  max?: number;
  allowed?: string[];
  severity: string;
}

const REFUSALS = (table.limits as LimitRow[]).filter((row) => row.severity === "refuse");

const FIELD_INPUT = { video_url: "video", audio_url: "audio" } as const;

/** Describes the first refuse row `probed` breaks, or undefined. */
function firstBreach(input: string, probed: ProbedMedia): string | undefined {
  for (const row of REFUSALS.filter((candidate) => candidate.input === input)) {
    const value = (probed as unknown as Record<string, unknown>)[row.property];
    if (value === undefined) continue;
    if (row.allowed) {
      if (!row.allowed.includes(String(value)))
        return `${row.id}: ${String(value)} is not one of ${row.allowed.join(", ")}`;
      continue;
    }
    if (typeof value !== "number") continue;
    const shown = Number(value.toFixed(2));
    if (row.min !== undefined && value < row.min) return `${row.id}: ${shown} is below the minimum of ${row.min}`;
    if (row.max !== undefined && value > row.max) return `${row.id}: ${shown} is above the maximum of ${row.max}`;
  }
  return undefined;
}

/** A failed outcome when a hosted input breaks a refuse limit, else undefined. */
export function mediaLimitOutcome(context: EmulatorContext, params: CreateParams): TaskOutcome | undefined {
  for (const field of ["video_url", "audio_url"] as const) {
    const hosted = resolveHosted(context, params[field]);
    if (!hosted || hosted === "missing") continue;
    const probed = probeMedia(hosted.bytes);
    const breach = probed && firstBreach(FIELD_INPUT[field], probed);
    if (breach) {
      return {
        kind: "failed",
        code: "invalid_parameters",
        message: `Invalid parameters.\n${field} is outside the model's limits (${breach}). Check the input media and resubmit.`,
      };
    }
  }
  return undefined;
}
