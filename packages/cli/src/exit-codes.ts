/** The CLI's exit codes; scripts rely on them, so they never change meaning. */
export const ExitCode = {
  /** The task completed (and the result was saved, when asked). */
  Done: 0,
  /** The task failed or was cancelled. */
  TaskFailed: 1,
  /** Bad flags or input; nothing was sent. */
  Usage: 2,
  /** The API or the network failed, or the wait timed out. */
  ApiOrNetwork: 3,
  /** Interrupted with Ctrl-C (128 + SIGINT). */
  Interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
