import { ExitCode, type ExitCodeValue } from "../exit-codes.js";
import type { CliIO } from "../io.js";
import { checkJson, formatCheck, type MediaFlags, preflight } from "../preflight-report.js";
import { reportError } from "../report-error.js";

/** Flags of `videoretalk check`. */
export interface CheckFlags extends MediaFlags {
  json?: boolean;
}

/**
 * `videoretalk check`: inspects the inputs without uploading or creating anything, prints each
 * input's facts, every problem and the billable seconds. Exit 0 when nothing is refused, 1 when
 * something is, 2 for usage errors (a missing file, bad flags).
 */
export async function runCheck(flags: CheckFlags, io: CliIO): Promise<ExitCodeValue> {
  const json = flags.json === true;
  try {
    const check = await preflight(flags, io.cwd, io.signal);
    if (json) io.stdout.write(`${JSON.stringify(checkJson(check))}\n`);
    else {
      const labels = {
        video: flags.video,
        audio: flags.audio,
        ...(flags.refImage ? { ref_image: flags.refImage } : {}),
      };
      io.stdout.write(formatCheck(check, labels));
    }
    return check.refused ? ExitCode.TaskFailed : ExitCode.Done;
  } catch (error) {
    return reportError(error, io, { json });
  }
}
