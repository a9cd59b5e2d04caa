// The Files API limits, in a module of their own: the main entry re-exports them, and a static
// re-export from the upload code would pull that code into every bundle (it is loaded lazily).

/** 100 MB: the largest file the Files API accepts (Evolink's clients enforce the same cap). */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

/** Uploads can be large, so one attempt gets more time than an API call unless told otherwise. */
export const DEFAULT_UPLOAD_TIMEOUT_MS = 10 * 60_000;
