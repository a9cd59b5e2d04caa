import table from "../../../spec/media-limits.json";

/**
 * The limits table, spec/media-limits.json, bundled into the build: one row per limit with its
 * severity and its source. The emulator reads the same file, so both always agree.
 */

/** Which input a limit applies to. */
export type InputName = "video" | "audio" | "ref_image";

/** `refuse`: the API fails the task. `warn`: accepted but outside the recommended range. */
export type Severity = "refuse" | "warn";

/** One row of the limits table. */
export interface MediaLimit {
  id: string;
  input: InputName;
  property:
    | "container"
    | "sizeBytes"
    | "durationS"
    | "fps"
    | "videoCodec"
    | "width"
    | "height"
    | "aspectRatio"
    | "longestSide";
  min?: number;
  max?: number;
  allowed?: string[];
  unit: string;
  severity: Severity;
  /** A key of {@link MEDIA_LIMITS_SOURCES}. */
  source: string;
  note?: string;
}

/** The version of the limits table this build checks against. */
export const MEDIA_LIMITS_VERSION: number = table.version;

/** Where each row's figures come from (key → reference). */
export const MEDIA_LIMITS_SOURCES: Readonly<Record<string, string>> = table.sources;

/** Every limit, in table order. */
export const MEDIA_LIMITS: readonly MediaLimit[] = table.limits as MediaLimit[];

/** The limits of one input. */
export function limitsFor(input: InputName): MediaLimit[] {
  return MEDIA_LIMITS.filter((limit) => limit.input === input);
}
