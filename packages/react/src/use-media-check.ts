import { useCallback, useEffect, useRef, useState } from "react";
import { checkMediaFiles, type MediaFilesCheck, type MediaFilesInputs } from "./media-check.js";

/** Options of {@link useMediaCheck}. */
export interface UseMediaCheckOptions {
  /** The check to run. Default: {@link checkMediaFiles}, which loads `@videoretalk/preflight` on first use. */
  check?: ((inputs: MediaFilesInputs) => Promise<MediaFilesCheck>) | undefined;
  /** For the default check: where the parser's WebAssembly file is served (see {@link checkMediaFiles}). */
  wasmUrl?: string | URL | undefined;
}

/** What {@link useMediaCheck} returns. */
export interface UseMediaCheckResult {
  status: "idle" | "checking" | "done" | "error";
  /** The last completed check (kept while a new one runs). */
  result: MediaFilesCheck | undefined;
  /** Why the last check could not run (e.g. preflight not installed); not a media problem. */
  error: unknown;
  /**
   * Checks the given inputs. Resolves to the result, or `undefined` when a newer call or an
   * unmount overtook it (its result is then dropped).
   */
  check: (inputs: MediaFilesInputs) => Promise<MediaFilesCheck | undefined>;
  reset: () => void;
}

/**
 * Checks chosen files in the page before anything is uploaded. The latest call wins: picking
 * another file while a check runs drops the older result.
 *
 * @example
 * ```tsx
 * const media = useMediaCheck();
 * <input type="file" onChange={(e) => media.check({ video: e.target.files?.[0] })} />
 * {media.result?.problems.map((p) => <p key={p.code}>{p.message}</p>)}
 * ```
 */
export function useMediaCheck(options: UseMediaCheckOptions = {}): UseMediaCheckResult {
  const [state, setState] = useState<Pick<UseMediaCheckResult, "status" | "result" | "error">>({
    status: "idle",
    result: undefined,
    error: undefined,
  });
  const latest = useRef(0);
  const checkRef = useRef(options);
  checkRef.current = options;
  useEffect(() => {
    // An unmount drops whatever is in flight.
    return () => {
      latest.current += 1;
    };
  }, []);

  const check = useCallback(async (inputs: MediaFilesInputs) => {
    const call = ++latest.current;
    setState((previous) => ({ ...previous, status: "checking", error: undefined }));
    try {
      const { check: custom, wasmUrl } = checkRef.current;
      const result = await (custom ? custom(inputs) : checkMediaFiles(inputs, { wasmUrl }));
      if (call !== latest.current) return undefined;
      setState({ status: "done", result, error: undefined });
      return result;
    } catch (error) {
      if (call === latest.current) setState({ status: "error", result: undefined, error });
      return undefined;
    }
  }, []);
  const reset = useCallback(() => {
    latest.current += 1;
    setState({ status: "idle", result: undefined, error: undefined });
  }, []);
  return { ...state, check, reset };
}
