import type { LipSyncCheck } from "@videoretalk/preflight";
import { ExitCode, type ExitCodeValue } from "./exit-codes.js";
import type { CliIO } from "./io.js";
import { checkJson, formatCheck, type MediaFlags, preflight } from "./preflight-report.js";

/** The flags of `lipsync` that steer its pre-check. */
export interface PreflightGateFlags extends MediaFlags {
  /** `--no-check` sets this to false. */
  check?: boolean;
  force?: boolean;
  json?: boolean;
}

const URL_PATTERN = /^https?:\/\//i;

/**
 * A URL this machine cannot read may still be reachable by the API, so for `lipsync` that is a
 * warning; a local file that cannot be read stays a refusal.
 */
function relaxUnreadableUrls(check: LipSyncCheck, flags: MediaFlags): LipSyncCheck {
  const values = { video: flags.video, audio: flags.audio, ref_image: flags.refImage ?? "" };
  const problems = check.problems.map((problem) =>
    problem.code === "unreadable" && URL_PATTERN.test(values[problem.input])
      ? { ...problem, severity: "warn" as const }
      : problem,
  );
  const refused = problems.some((problem) => problem.severity === "refuse");
  return { ...check, problems, refused, ok: !refused };
}

/**
 * Runs the pre-check of `videoretalk lipsync` before anything is uploaded. Returns an exit code
 * when the run must stop (a refusal without `--force`), else undefined. Problems go to stderr
 * (with `--json`, a refusal is the JSON document on stdout).
 */
export async function preflightGate(flags: PreflightGateFlags, io: CliIO): Promise<ExitCodeValue | undefined> {
  if (flags.check === false) return undefined;
  const check = relaxUnreadableUrls(await preflight(flags, io.cwd, io.signal), flags);
  const json = flags.json === true;
  const stop = check.refused && flags.force !== true;
  if (json) {
    if (stop) {
      const message = "The inputs break VideoRetalk's limits; nothing was uploaded (use --force to send them anyway).";
      io.stdout.write(
        `${JSON.stringify({ error: { name: "PreflightRefused", message }, check: checkJson(check), exitCode: ExitCode.TaskFailed })}\n`,
      );
    }
  } else if (check.problems.length > 0) {
    const labels = { video: flags.video, audio: flags.audio, ...(flags.refImage ? { ref_image: flags.refImage } : {}) };
    io.stderr.write(`pre-check:\n${formatCheck(check, labels)}`);
    if (stop) io.stderr.write("refused: nothing was uploaded. Fix the inputs, or pass --force to send them anyway.\n");
    else if (check.refused) io.stderr.write("--force: sending inputs the API is likely to refuse.\n");
  }
  return stop ? ExitCode.TaskFailed : undefined;
}
