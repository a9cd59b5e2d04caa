import { APIConnectionError } from "./errors.js";

/**
 * Loads a part of the SDK that is split off with `import()` (upload code, the batch read, the
 * callback rules) once, and shares the promise between callers. Code splitting means a browser
 * fetches that chunk from the app's server on first use; when that fails (offline, a deploy
 * replaced the chunk), the caller gets an `APIConnectionError` with `connected: false` — the
 * API was never reached, so retrying is safe — instead of a bundler's raw TypeError. A failed
 * load is not cached: the next call tries again.
 */
export function lazyModule<T>(what: string, load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw new APIConnectionError(`Could not load the SDK's ${what} code: ${String(error)}.`, {
        cause: error,
        connected: false,
      });
    }));
}
