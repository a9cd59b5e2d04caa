import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Fixture paths (made by scripts/make-fixtures.sh). */
export const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** ffprobe's container duration of a file, in seconds; fails with the install command when missing. */
export function ffprobeDuration(path: string): number | undefined {
  const run = spawnSync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path], {
    encoding: "utf8",
  });
  if (run.error && (run.error as NodeJS.ErrnoException).code === "ENOENT") {
    throw new Error("ffprobe is missing: apt-get install -y ffmpeg");
  }
  const value = Number(run.stdout.trim());
  return run.status === 0 && Number.isFinite(value) ? value : undefined;
}
