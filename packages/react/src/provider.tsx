import { QueryClient, QueryClientContext, QueryClientProvider } from "@tanstack/react-query";
import { createVideoRetalk, ValidationError, type VideoRetalkClient } from "@videoretalk/core";
import { createContext, type ReactNode, useContext, useMemo, useRef } from "react";

const VideoRetalkContext = createContext<VideoRetalkClient | null>(null);

/**
 * Props of {@link VideoRetalkProvider}: exactly one of `client` or `proxyUrl`.
 *
 * @example
 * ```ts
 * const props: VideoRetalkProviderProps = { proxyUrl: "/api/videoretalk" };
 * ```
 */
export type VideoRetalkProviderProps =
  | {
      /** A client from `createVideoRetalk()`, e.g. with your own `fetch` or headers. */
      client: VideoRetalkClient;
      proxyUrl?: never;
      children?: ReactNode;
    }
  | {
      /**
       * Where `@videoretalk/server`'s proxy is mounted: absolute (`https://app.example/api/videoretalk`)
       * or relative to the page (`/api/videoretalk`). A relative URL is resolved against
       * `location.href` on first use, so server-side rendering works too. The browser sends no
       * API key; the proxy adds it.
       */
      proxyUrl: string;
      client?: never;
      children?: ReactNode;
    };

/**
 * Makes a VideoRetalk client available to the hooks below it. Pass `proxyUrl` in browsers (the
 * API key stays on your server), or a ready `client`.
 *
 * It uses the nearest `QueryClientProvider` when there is one, so the hooks share your app's
 * cache; otherwise it creates a `QueryClient` of its own and provides it.
 *
 * @example
 * ```tsx
 * <VideoRetalkProvider proxyUrl="/api/videoretalk">
 *   <LipSyncButton />
 * </VideoRetalkProvider>
 * ```
 * @throws {ValidationError} while rendering, when both or neither of `client` and `proxyUrl` are given.
 */
export function VideoRetalkProvider(props: VideoRetalkProviderProps): ReactNode {
  const { client, proxyUrl, children } = props;
  if ((client === undefined) === (proxyUrl === undefined)) {
    throw new ValidationError(
      client === undefined ? "proxyUrl" : "client",
      "VideoRetalkProvider takes exactly one of `client` (a core client) or `proxyUrl` (your proxy's URL).",
    );
  }
  const resolved = useMemo(() => client ?? createProxyClient(proxyUrl), [client, proxyUrl]);
  const outerQueryClient = useContext(QueryClientContext);
  // Created only when the app has no QueryClientProvider above us (lazy ref initialisation, the
  // pattern React documents for expensive objects), then kept for the provider's lifetime.
  const ownQueryClient = useRef<QueryClient | null>(null);
  if (!outerQueryClient && !ownQueryClient.current) ownQueryClient.current = new QueryClient();

  const provided = <VideoRetalkContext.Provider value={resolved}>{children}</VideoRetalkContext.Provider>;
  if (outerQueryClient || !ownQueryClient.current) return provided;
  return <QueryClientProvider client={ownQueryClient.current}>{provided}</QueryClientProvider>;
}

const ABSOLUTE_URL = /^[a-z][a-z\d+.-]*:/i;

/**
 * A client for a proxy URL. apiKey null: send no key, the proxy adds it. Core's browser guard
 * asks for an explicit opt-in, which is safe here precisely because there is no key to leak.
 */
function createProxyClient(proxyUrl: string): VideoRetalkClient {
  const build = (baseUrl: string) => createVideoRetalk({ apiKey: null, baseUrl, dangerouslyAllowBrowser: true });
  // Absolute: build now, so a malformed URL fails at render with core's ValidationError.
  if (ABSOLUTE_URL.test(proxyUrl)) return build(proxyUrl);
  // Relative: there is no page to resolve against while rendering on the server, and nothing is
  // requested there, so the client is built on first use (in the browser).
  let built: VideoRetalkClient | undefined;
  const get = (): VideoRetalkClient => {
    if (built) return built;
    const page = (globalThis as { location?: { href?: string } }).location?.href;
    if (!page || !/^https?:/.test(page)) {
      throw new ValidationError(
        "proxyUrl",
        `The relative proxyUrl "${proxyUrl}" can only be used in a browser page; pass an absolute URL elsewhere.`,
      );
    }
    built = build(new URL(proxyUrl, page).href);
    return built;
  };
  return {
    get lipSync() {
      return get().lipSync;
    },
    get tasks() {
      return get().tasks;
    },
    get files() {
      return get().files;
    },
    get credits() {
      return get().credits;
    },
    get raw() {
      return get().raw;
    },
    get baseUrl() {
      return get().baseUrl;
    },
  };
}

/**
 * The client of the nearest {@link VideoRetalkProvider}, for calls the hooks do not cover.
 *
 * @example
 * ```ts
 * const client = useVideoRetalkClient();
 * const onClick = async () => console.log(await client.tasks.get(taskId));
 * ```
 * @throws {Error} when called outside a `VideoRetalkProvider`.
 */
export function useVideoRetalkClient(): VideoRetalkClient {
  const client = useContext(VideoRetalkContext);
  if (!client) {
    throw new Error(
      "useVideoRetalkClient() was called outside <VideoRetalkProvider>. Wrap your app (or this part of it) in <VideoRetalkProvider proxyUrl=…>.",
    );
  }
  return client;
}
