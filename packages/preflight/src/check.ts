import { MediaReadError, PreflightInputError } from "./errors.js";
import { evaluateInput } from "./evaluate.js";
import { type InspectOptions, inspectWith, type PathOpener } from "./inspect.js";
import type { InputName } from "./limits.js";
import type { LipSyncCheck, MediaFacts, MediaSource, PreflightProblem } from "./types.js";

/** The inputs of a lip-sync task, as sources or as facts already inspected. */
export interface LipSyncInputs {
  video: MediaSource | MediaFacts;
  audio: MediaSource | MediaFacts;
  ref_image?: MediaSource | MediaFacts;
  /** The task's `video_extension`: bill the audio's whole length. */
  video_extension?: boolean;
  /** Proceed past refusals: `ok` is true whatever the problems (they are still listed). */
  force?: boolean;
}

function isFacts(value: unknown): value is MediaFacts {
  return (
    value !== null &&
    typeof value === "object" &&
    !(typeof Blob !== "undefined" && value instanceof Blob) &&
    !(value instanceof URL) &&
    typeof (value as MediaFacts).kind === "string" &&
    typeof (value as MediaFacts).sizeBytes === "number"
  );
}

async function factsFor(
  input: InputName,
  source: MediaSource | MediaFacts,
  options: InspectOptions,
  openPath: PathOpener | undefined,
): Promise<MediaFacts | PreflightProblem> {
  if (isFacts(source)) return source;
  try {
    return await inspectWith(source, options, openPath, input);
  } catch (error) {
    if (!(error instanceof MediaReadError)) throw error;
    // The API would fail to download it too: a refusal, not a crash.
    return { input, code: "unreadable", message: `${input} could not be read: ${error.message}`, severity: "refuse" };
  }
}

/** The billing rule of spec/media-limits.json. */
export function billableSeconds(
  videoS: number | undefined,
  audioS: number | undefined,
  videoExtension: boolean,
): number | undefined {
  if (audioS === undefined) return undefined;
  if (videoExtension) return audioS;
  return videoS === undefined ? undefined : Math.min(videoS, audioS);
}

/** Checks the inputs with an optional path opener (the Node build passes one). */
export async function checkWith(
  inputs: LipSyncInputs,
  options: InspectOptions,
  openPath: PathOpener | undefined,
): Promise<LipSyncCheck> {
  if (inputs === null || typeof inputs !== "object") {
    throw new PreflightInputError("inputs", "checkLipSyncInputs needs an object with video and audio.");
  }
  for (const name of ["video", "audio"] as const) {
    if (inputs[name] === undefined || inputs[name] === null) {
      throw new PreflightInputError(name, `${name} is required.`);
    }
  }
  const names: InputName[] = inputs.ref_image === undefined ? ["video", "audio"] : ["video", "audio", "ref_image"];
  const found = await Promise.all(
    names.map((name) => factsFor(name, inputs[name] as MediaSource | MediaFacts, options, openPath)),
  );
  const problems: PreflightProblem[] = [];
  const facts: LipSyncCheck["facts"] = {};
  names.forEach((name, index) => {
    const result = found[index] as MediaFacts | PreflightProblem;
    if ("code" in result) {
      problems.push(result);
      return;
    }
    facts[name] = result;
    problems.push(...evaluateInput(name, result));
  });
  const refused = problems.some((problem) => problem.severity === "refuse");
  const usable = (name: InputName) =>
    facts[name] && facts[name].kind !== "unknown" ? facts[name].durationS : undefined;
  return {
    ok: !refused || inputs.force === true,
    refused,
    problems,
    billableSeconds: billableSeconds(usable("video"), usable("audio"), inputs.video_extension === true),
    facts,
  };
}
