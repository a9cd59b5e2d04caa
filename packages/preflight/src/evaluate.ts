import { type InputName, limitsFor, type MediaLimit } from "./limits.js";
import type { MediaFacts, MediaKind, PreflightProblem } from "./types.js";

/** Checks one input's facts against its rows of the limits table. */

const EXPECTED_KIND: Readonly<Record<InputName, MediaKind>> = { video: "video", audio: "audio", ref_image: "image" };

const LABELS: Readonly<Record<MediaLimit["property"], string>> = {
  container: "format",
  sizeBytes: "size",
  durationS: "length",
  fps: "frame rate",
  videoCodec: "video codec",
  width: "width",
  height: "height",
  aspectRatio: "aspect ratio",
  longestSide: "longest side",
};

/** The value a row looks at, derived from the facts where needed. */
function propertyValue(facts: MediaFacts, property: MediaLimit["property"]): number | string | undefined {
  const { width, height } = facts;
  switch (property) {
    case "aspectRatio":
      return width && height ? Math.max(width, height) / Math.min(width, height) : undefined;
    case "longestSide":
      return width && height ? Math.max(width, height) : undefined;
    default:
      return facts[property];
  }
}

/** A value with its unit, for messages: bytes as MB, seconds with two decimals. */
export function formatValue(value: number | string, unit: string): string {
  if (typeof value === "string") return value;
  if (unit === "bytes") return `${(value / 1048576).toFixed(1)} MB`;
  if (unit === "s") return `${Number(value.toFixed(2))} s`;
  if (unit === "ratio") return `${Number(value.toFixed(2))}:1`;
  return `${Number(value.toFixed(3))} ${unit}`;
}

/** Why `value` breaks `limit`, or undefined when it does not. */
function breach(limit: MediaLimit, value: number | string): string | undefined {
  const label = `${limit.input} ${LABELS[limit.property]}`;
  const shown = formatValue(value, limit.unit);
  if (limit.allowed) {
    return limit.allowed.includes(String(value))
      ? undefined
      : `${label} is ${shown}; the API accepts ${limit.allowed.join(", ")}`;
  }
  if (typeof value !== "number") return undefined;
  const verb = limit.severity === "refuse" ? "the API accepts" : "the recommended limit is";
  if (limit.min !== undefined && value < limit.min) {
    return `${label} is ${shown}; ${verb} at least ${formatValue(limit.min, limit.unit)}`;
  }
  if (limit.max !== undefined && value > limit.max) {
    return `${label} is ${shown}; ${verb} at most ${formatValue(limit.max, limit.unit)}`;
  }
  return undefined;
}

/** Every problem of one input. A non-media file or the wrong kind stops the other checks. */
export function evaluateInput(input: InputName, facts: MediaFacts): PreflightProblem[] {
  if (facts.kind === "unknown") {
    return [
      { input, code: "not_media", message: `${input} is not a media file MediaInfo can read.`, severity: "refuse" },
    ];
  }
  const expected = EXPECTED_KIND[input];
  if (facts.kind !== expected) {
    return [
      {
        input,
        code: "wrong_kind",
        message: `${input} must be ${expected === "image" ? "an image" : `a ${expected} file`}, got ${facts.kind === "audio" ? "an audio" : `a ${facts.kind}`} file (${facts.container}).`,
        actual: facts.kind,
        severity: "refuse",
      },
    ];
  }
  const problems: PreflightProblem[] = [];
  for (const limit of limitsFor(input)) {
    const value = propertyValue(facts, limit.property);
    if (value === undefined) {
      problems.push({
        input,
        code: "unknown_property",
        message: `${input} ${LABELS[limit.property]} could not be read, so the ${limit.id} limit was not checked.`,
        limit,
        severity: "warn",
      });
      continue;
    }
    const message = breach(limit, value);
    if (message)
      problems.push({ input, code: limit.id, message: `${message}.`, limit, actual: value, severity: limit.severity });
  }
  return problems;
}
