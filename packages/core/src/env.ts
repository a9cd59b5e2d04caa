/**
 * Reads an environment variable where one exists (Node, Bun, Deno with permission); never
 * throws. Blank values count as unset; the value comes back trimmed.
 *
 * @example
 * ```ts
 * const key = readEnv("EVOLINK_API_KEY");
 * ```
 */
export function readEnv(name: string): string | undefined {
  try {
    const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[
      name
    ]?.trim();
    if (value) return value;
  } catch {
    // Deno without --allow-env throws on access; treat it as unset.
  }
  return undefined;
}

/** True in a browser page or web worker, where an API key would be visible to every visitor. */
export function isBrowserLike(): boolean {
  const g = globalThis as {
    window?: { document?: unknown };
    importScripts?: unknown;
    navigator?: { product?: string };
  };
  if (g.navigator?.product === "ReactNative") return true;
  if (typeof g.window === "object" && typeof g.window?.document === "object") return true;
  return typeof g.importScripts === "function";
}
