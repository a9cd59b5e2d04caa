import type { Client, Middleware } from "openapi-fetch";
import type { paths } from "./generated/schema.js";
import { lazyModule } from "./lazy-module.js";
import type { Transport } from "./transport.js";

type RawMethod = Exclude<keyof Client<paths>, "use" | "eject">;

// One string rather than an array literal: it is shorter in every browser bundle. The types
// below still check it against openapi-fetch's `Client`, in both directions.
const METHOD_NAMES = "GET PUT POST DELETE OPTIONS HEAD PATCH TRACE request";
type Words<S extends string> = S extends `${infer Word} ${infer Rest}` ? Word | Words<Rest> : S;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Checked<T extends true> = T;
export type RawMethodsListed = Checked<Same<Words<typeof METHOD_NAMES>, RawMethod>>;
const METHODS = METHOD_NAMES.split(" ") as RawMethod[];

/**
 * `client.raw`: the typed openapi-fetch client, loaded on its first call. openapi-fetch is
 * 2.6 kB min+gzip, more than `lipSync.create` and `tasks.get` need together, so it is imported
 * with `import()` when a `raw` method is first called: bundlers that split code (Vite, Rollup,
 * webpack, esbuild with `splitting`) put it in a chunk that apps using only the helpers never
 * download. Every method of openapi-fetch's `Client` returns a promise except `use` and `eject`,
 * which are recorded and replayed on the real client, so the object behaves the same.
 */
export function createLazyRawClient(baseUrl: string, transport: Transport): Client<paths> {
  let real: Client<paths> | undefined;
  const middleware: Array<[action: "use" | "eject", items: Middleware[]]> = [];
  // A failed load (a browser gone offline) is an APIConnectionError, and the next call tries again.
  const load = lazyModule("raw client", async () => {
    const client = (await import("./raw-openapi.js")).createOpenApiClient(baseUrl, transport);
    for (const [action, items] of middleware) client[action](...items);
    real = client;
    return client;
  });
  const raw: Record<string, unknown> = {
    use: (...items: Middleware[]) => (real ? real.use(...items) : middleware.push(["use", items])),
    eject: (...items: Middleware[]) => (real ? real.eject(...items) : middleware.push(["eject", items])),
  };
  for (const method of METHODS) {
    raw[method] = async (...args: unknown[]) =>
      ((await load())[method] as (...a: unknown[]) => Promise<unknown>)(...args);
  }
  return raw as unknown as Client<paths>;
}
