import type { InputName, MediaLimit, Severity } from "./limits.js";

/** What a file is, from its content (never from its name). */
export type MediaKind = "video" | "audio" | "image" | "unknown";

/**
 * What {@link inspectMedia} found. `container` and the codecs are short lower-case names
 * (`mp4`, `mov`, `avi`, `wav`, `mp3`, `aac`, `jpeg`, `png`, `bmp`, `webp`; `h264`, `h265`, `aac`,
 * `mp3`, `pcm`), or the parser's own name for anything else. A file that is not media has kind
 * `unknown`, container `unknown` and duration 0.
 */
export interface MediaFacts {
  kind: MediaKind;
  container: string;
  /** Length in seconds (0 for images and non-media). */
  durationS: number;
  width?: number;
  height?: number;
  fps?: number;
  videoCodec?: string;
  audioCodec?: string;
  sizeBytes: number;
}

/**
 * Something to inspect: a `Blob`/`File`, an `http(s)` URL (string or `URL`), or, in Node only,
 * a file path.
 */
export type MediaSource = Blob | URL | string;

/** One broken limit (or an input that could not be read). */
export interface PreflightProblem {
  input: InputName;
  /** The limit's id (e.g. `video.fps`), or `not_media`, `wrong_kind`, `unreadable`, `unknown_property`. */
  code: string;
  /** A sentence for people, naming the input, the actual value and the limit. */
  message: string;
  /** The table row that was broken; absent for `not_media`, `wrong_kind` and `unreadable`. */
  limit?: MediaLimit;
  /** The value found (seconds, bytes, px, fps, ratio, or a name). */
  actual?: number | string;
  severity: Severity;
}

/** The result of {@link checkLipSyncInputs}. */
export interface LipSyncCheck {
  /** True when nothing is refused, or when `force` was set. */
  ok: boolean;
  /** Whether any problem has severity `refuse` (also when forced). */
  refused: boolean;
  problems: PreflightProblem[];
  /**
   * Seconds the task would bill: the audio's length with `video_extension`, else the shorter of
   * video and audio. Undefined when a length could not be read.
   */
  billableSeconds: number | undefined;
  /** What was found for each input that could be read. */
  facts: Partial<Record<InputName, MediaFacts>>;
}
