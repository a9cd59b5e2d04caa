import type { Client, ClientOptions } from "openapi-fetch";
import openapiFetch from "openapi-fetch";
import type { paths } from "./generated/schema.js";
import type { Transport } from "./transport.js";

type CreateClient = <Paths extends {}>(options?: ClientOptions) => Client<Paths>;

// openapi-fetch ships its factory only as a default export. Node's CommonJS interop (used by our
// CJS build, since this package is "type": "module") can hand us the whole `exports` object as
// the default, so unwrap one more level when needed. (A default import, not `import * as`: a
// namespace object would make bundlers ship a helper in the page's initial chunks.)
const createClient = (
  typeof openapiFetch === "function" ? openapiFetch : (openapiFetch as unknown as { default: CreateClient }).default
) as CreateClient;

/**
 * The client's transport shaped as `fetch`, for openapi-fetch: each `Request` openapi-fetch
 * builds goes through the same authentication, retries, timeouts and idempotency keys.
 */
export function transportFetch(transport: Transport): (input: Request) => Promise<Response> {
  return async (input) => {
    const headers: Record<string, string> = {};
    input.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const url = new URL(input.url);
    // Bytes, not text: a FormData or Blob body may hold binary that UTF-8 decoding would corrupt.
    const bytes = input.body ? await input.arrayBuffer() : undefined;
    const result = await transport.request(
      {
        method: input.method,
        url: input.url,
        path: url.pathname,
        headers,
        body: bytes === undefined ? undefined : () => bytes,
      },
      { signal: input.signal },
    );
    // Statuses whose responses have no body (Fetch standard); the transport read none.
    return new Response([101, 103, 204, 205, 304].includes(result.status) ? null : result.text, {
      status: result.status,
      statusText: result.statusText,
      headers: result.headers,
    });
  };
}

/** The real openapi-fetch client behind `client.raw` (loaded on its first call). */
export function createOpenApiClient(baseUrl: string, transport: Transport): Client<paths> {
  return createClient<paths>({ baseUrl, fetch: transportFetch(transport) });
}
