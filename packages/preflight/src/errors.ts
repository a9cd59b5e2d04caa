/**
 * Typed errors. Bad arguments throw {@link PreflightInputError} before anything is read; a source
 * that cannot be read (missing file, HTTP error, no Range support) is a {@link MediaReadError}.
 * A readable file that is not media is not an error: it comes back with kind `unknown`.
 */

/** Base class of the package's errors. */
export class PreflightError extends Error {
  override name = "PreflightError";
}

/** An argument is of the wrong type or shape; `field` names it (e.g. `video`, `source`). */
export class PreflightInputError extends PreflightError {
  override name = "PreflightInputError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The source could not be read; `status` is the HTTP status when there was one. */
export class MediaReadError extends PreflightError {
  override name = "MediaReadError";
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
