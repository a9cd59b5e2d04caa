/**
 * A `fetch` that answers from a script instead of the network, and records what it was sent.
 * Each call takes the next step; a step is a Response, an error to throw, `"hang"` (never
 * answers until aborted), or a function of the request.
 */
export type FetchStep =
  | Response
  | Error
  | "hang"
  | ((call: RecordedCall) => Response | Error | "hang" | Promise<Response>);

export interface RecordedCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal | undefined;
}

export interface ScriptedFetch {
  fetch: typeof fetch;
  calls: RecordedCall[];
  /** Steps not yet used. */
  remaining(): number;
}

function headersOf(init: RequestInit | undefined, input: RequestInfo | URL): Record<string, string> {
  const out: Record<string, string> = {};
  const source = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  source.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException("This operation was aborted", "AbortError");
}

export function scriptedFetch(steps: FetchStep[]): ScriptedFetch {
  const queue = [...steps];
  const calls: RecordedCall[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    const call: RecordedCall = {
      url,
      method: (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase(),
      headers: headersOf(init, input),
      body: typeof init?.body === "string" ? init.body : undefined,
      signal: init?.signal ?? undefined,
    };
    calls.push(call);
    const step = queue.shift();
    if (step === undefined)
      throw new Error(`scriptedFetch: no step left for call ${calls.length} (${call.method} ${url})`);
    const outcome = typeof step === "function" ? await step(call) : step;
    if (outcome === "hang") {
      return new Promise<Response>((_, reject) => {
        const signal = call.signal;
        if (!signal) return;
        if (signal.aborted) reject(abortError(signal));
        signal.addEventListener("abort", () => reject(abortError(signal)), { once: true });
      });
    }
    if (outcome instanceof Error) throw outcome;
    return outcome;
  };
  return { fetch: fetchImpl as typeof fetch, calls, remaining: () => queue.length };
}

/** A JSON response with the given status and headers. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** A `TypeError: fetch failed` whose cause carries a Node network error code, as undici throws. */
export function networkError(code: string): TypeError {
  const cause = Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code });
  return new TypeError("fetch failed", { cause });
}
