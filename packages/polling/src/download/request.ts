import { DownloadError, DownloadTargetRefusedError } from "../errors.js";
import { untilAborted } from "./abort.js";
import { discard } from "./http-headers.js";
import { checkTarget, type TargetCheck } from "./target-rules.js";
import type { TransferContext, TransferState } from "./transfer-state.js";

// The statuses fetch would follow by itself (Fetch standard, "redirect status").
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The headers of one attempt: the stored bytes, from `received` on when resuming. */
function attemptHeaders(state: TransferState): Record<string, string> {
  // Ask for the stored bytes: Content-Length and Range then count the same bytes that we write.
  const headers: Record<string, string> = { "Accept-Encoding": "identity" };
  if (state.received > 0) headers.Range = `bytes=${state.received}-`;
  return headers;
}

/**
 * The refusal behind a failed fetch, if any: the Node.js build refuses a private address while
 * connecting, and fetch wraps that as `TypeError("fetch failed", { cause })`.
 */
export function refusalIn(error: unknown): DownloadTargetRefusedError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof DownloadTargetRefusedError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The request step: GETs the result URL, following redirects by hand so that every target is
 * checked (scheme, literal host, and in Node.js its addresses) before anything is sent to it.
 * Resolves with the first response that is not a redirect.
 *
 * @throws {DownloadTargetRefusedError} a hop is not an allowed target.
 * @throws {DownloadError} more than `maxRedirects` redirects, or an unreadable `Location`.
 * @throws whatever `fetch` throws (a connection failure), for the caller to resume.
 */
export async function requestFollowingRedirects(
  ctx: TransferContext,
  state: TransferState,
  attemptSignal: AbortSignal,
): Promise<Response> {
  const { settings, source, network } = ctx;
  const headers = attemptHeaders(state);
  let url = new URL(source.url);
  for (let redirects = 0; ; redirects++) {
    const check: TargetCheck = {
      allowPrivateNetwork: settings.allowPrivateNetwork,
      redirects,
      taskId: source.taskId,
    };
    checkTarget(url, check);
    if (network.checkHost) await untilAborted(network.checkHost(url, check), settings.signal, source);
    const init: RequestInit = { method: "GET", headers, redirect: "manual", signal: attemptSignal };
    let response = await untilAborted(network.fetch(url.href, init), settings.signal, source);
    if (response.type === "opaqueredirect") {
      // Browsers hide a redirect's target from scripts; let the browser follow it and check
      // where it ended up before reading a byte (the hops are the browser's business).
      response = await untilAborted(network.fetch(url.href, { ...init, redirect: "follow" }), settings.signal, source);
      if (response.url) checkLanding(response, { ...check, redirects: redirects + 1 });
      return response;
    }
    const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get("location") : null;
    if (location === null) return response;
    discard(response);
    if (redirects >= settings.maxRedirects) {
      throw new DownloadError(
        `The result URL redirected more than ${settings.maxRedirects} times (maxRedirects); gave up.`,
        { status: response.status, bytesReceived: state.received, taskId: source.taskId },
      );
    }
    try {
      url = new URL(location, url);
    } catch {
      throw new DownloadError(`The result host answered ${response.status} with an unreadable Location.`, {
        status: response.status,
        bytesReceived: state.received,
        taskId: source.taskId,
      });
    }
  }
}

/** Checks the final URL of a redirect the runtime followed by itself. */
function checkLanding(response: Response, check: TargetCheck): void {
  try {
    checkTarget(new URL(response.url), check);
  } catch (error) {
    discard(response);
    throw error;
  }
}
