/**
 * Checks chosen files against VideoRetalk's media limits before anything is uploaded, with
 * `@videoretalk/preflight` (an optional peer dependency). The package is imported on the first
 * call only, so an app that never checks files neither bundles nor loads it up front.
 */

/** An input of a lip-sync task. */
export type MediaInputName = "video" | "audio" | "ref_image";

/** What preflight found about a file (`MediaFacts` of `@videoretalk/preflight`). */
export interface MediaFileFacts {
  kind: "video" | "audio" | "image" | "unknown";
  container: string;
  durationS: number;
  width?: number;
  height?: number;
  fps?: number;
  videoCodec?: string;
  audioCodec?: string;
  sizeBytes: number;
}

/** One broken limit (`PreflightProblem` of `@videoretalk/preflight`). */
export interface MediaProblem {
  input: MediaInputName;
  /** The limit's id (`video.duration.min`, …) or `not_media`, `wrong_kind`, `unreadable`, `unknown_property`. */
  code: string;
  /** A sentence for people: which input, the value found and the limit. */
  message: string;
  actual?: number | string;
  severity: "refuse" | "warn";
}

/** The result of {@link checkMediaFiles}. */
export interface MediaFilesCheck {
  /** False when any problem is a refusal (unless `force`): uploading would waste the upload and a billed task. */
  ok: boolean;
  problems: MediaProblem[];
  /** Seconds the task would bill, once both video and audio are known; else `undefined`. */
  billableSeconds: number | undefined;
  facts: Partial<Record<MediaInputName, MediaFileFacts>>;
}

/** A file (`File`/`Blob`) or an `http(s)` URL to check. */
export type MediaInput = Blob | string;

/** The files to check; any subset, so each picker can be checked as soon as it has a file. */
export interface MediaFilesInputs {
  video?: MediaInput | undefined;
  audio?: MediaInput | undefined;
  ref_image?: MediaInput | undefined;
  /** The task's `video_extension`: bill the audio's whole length. */
  video_extension?: boolean | undefined;
  /** Treat refusals as passable (`ok` stays true; the problems are still listed). */
  force?: boolean | undefined;
}

/** The part of `@videoretalk/preflight` this helper calls. */
export interface PreflightModule {
  inspectMedia(source: MediaInput, options?: { wasmUrl?: string | URL }): Promise<MediaFileFacts>;
  evaluateInput(input: MediaInputName, facts: MediaFileFacts): MediaProblem[];
  checkLipSyncInputs(inputs: {
    video: MediaFileFacts;
    audio: MediaFileFacts;
    ref_image?: MediaFileFacts;
    video_extension?: boolean;
    force?: boolean;
  }): Promise<{ ok: boolean; problems: MediaProblem[]; billableSeconds: number | undefined }>;
}

/** Options of {@link checkMediaFiles}. */
export interface CheckMediaFilesOptions {
  /** Loads the checker. Default: `import("@videoretalk/preflight")`, on first use. */
  loadPreflight?: (() => Promise<PreflightModule>) | undefined;
  /**
   * Where the browser loads the parser's WebAssembly file (`mediainfo.js/MediaInfoModule.wasm`)
   * from; needed with most bundlers, e.g. Vite: `import wasmUrl from "mediainfo.js/MediaInfoModule.wasm?url"`.
   */
  wasmUrl?: string | URL | undefined;
}

let preflight: Promise<PreflightModule> | undefined;

/** The lazily imported `@videoretalk/preflight`; a missing package gets an install hint. */
export function loadPreflight(): Promise<PreflightModule> {
  preflight ??= import("@videoretalk/preflight").then(
    (module) => module as unknown as PreflightModule,
    (error: unknown) => {
      preflight = undefined;
      throw new Error("Checking files needs @videoretalk/preflight: npm install @videoretalk/preflight", {
        cause: error,
      });
    },
  );
  return preflight;
}

const INPUTS: readonly MediaInputName[] = ["video", "audio", "ref_image"];

/**
 * Inspects the given files in the page (only the ranges needed; nothing is uploaded) and checks
 * them against VideoRetalk's limits: length 2–300 s, 15–60 fps, 640–2048 px, H.264/H.265,
 * sizes, containers. With both video and audio it also tells the billable seconds.
 *
 * @example
 * ```ts
 * const check = await checkMediaFiles({ video: videoInput.files[0], audio: audioInput.files[0] });
 * if (!check.ok) showProblems(check.problems.filter((p) => p.severity === "refuse"));
 * ```
 */
export async function checkMediaFiles(
  inputs: MediaFilesInputs,
  options: CheckMediaFilesOptions = {},
): Promise<MediaFilesCheck> {
  const module = await (options.loadPreflight ?? loadPreflight)();
  const names = INPUTS.filter((name) => inputs[name] !== undefined);
  const facts: MediaFilesCheck["facts"] = {};
  const problems: MediaProblem[] = [];
  await Promise.all(
    names.map(async (name) => {
      try {
        facts[name] = await module.inspectMedia(
          inputs[name] as MediaInput,
          options.wasmUrl === undefined ? {} : { wasmUrl: options.wasmUrl },
        );
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        problems.push({
          input: name,
          code: "unreadable",
          message: `${name} could not be read: ${reason}`,
          severity: "refuse",
        });
      }
    }),
  );
  let billableSeconds: number | undefined;
  const { video, audio } = facts;
  const paired = video !== undefined && audio !== undefined;
  if (paired) {
    // Both sides known: preflight's own check (limits plus the billing rule) on the facts.
    const pair = await module.checkLipSyncInputs({ video, audio, video_extension: inputs.video_extension === true });
    problems.push(...pair.problems);
    billableSeconds = pair.billableSeconds;
  }
  for (const name of names) {
    const found = facts[name];
    if (found && !(paired && name !== "ref_image")) problems.push(...module.evaluateInput(name, found));
  }
  problems.sort((a, b) => INPUTS.indexOf(a.input) - INPUTS.indexOf(b.input));
  const refused = problems.some((problem) => problem.severity === "refuse");
  return { ok: !refused || inputs.force === true, problems, billableSeconds, facts };
}
