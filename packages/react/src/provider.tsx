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
       * `location.href` when the provider renders in the browser; on a server, where nothing is
       * requested, it renders too, and using its client there throws a `ValidationError`. The
       * browser sends no API key; the proxy adds it.
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
      "VideoRetalkProvider takes exactly one of `client` (a core client) or `proxyUrl`.",
    );
  }
  const resolved = useMemo(() => client ?? createProxyClient(proxyUrl), [client, proxyUrl]);
  const outerQueryClient = useContext(QueryClientContext);
  // Created only when the app has no QueryClientProvider above us (lazy ref initialisation, the
  // pattern React documents for expensive objects), then kept for the provider's lifetime.
  const ownQueryClient = useRef<QueryClient | null>(null);
  const provided = <VideoRetalkContext.Provider value={resolved}>{children}</VideoRetalkContext.Provider>;
  if (outerQueryClient) return provided;
  ownQueryClient.current ??= new QueryClient();
  return <QueryClientProvider client={ownQueryClient.current}>{provided}</QueryClientProvider>;
}

const ABSOLUTE_URL = /^[a-z][a-z\d+.-]*:/i;

/**
 * A client for a proxy URL. apiKey null: send no key, the proxy adds it. Core's browser guard
 * asks for an explicit opt-in, which is safe here precisely because there is no key to leak.
 * A malformed absolute URL fails here, at render, with core's ValidationError.
 */
function createProxyClient(proxyUrl: string): VideoRetalkClient {
  let baseUrl = proxyUrl;
  if (!ABSOLUTE_URL.test(proxyUrl)) {
    // A relative URL is resolved against the page. Without one (rendering on the server, where
    // nothing is requested) the client is a stand-in that refuses to be used.
    const page = (globalThis as { location?: { href?: string } }).location?.href;
    if (!page || !/^https?:/.test(page)) return clientWithoutPage(proxyUrl);
    baseUrl = new URL(proxyUrl, page).href;
  }
  return createVideoRetalk({ apiKey: null, baseUrl, dangerouslyAllowBrowser: true });
}

const CLIENT_PROPERTIES = new Set<string | symbol>(["lipSync", "tasks", "files", "credits", "raw", "baseUrl"]);

/**
 * The client of a relative proxyUrl where there is no page: using it throws a ValidationError.
 * Other reads (`then`, `toJSON`, inspection by loggers or dev tools) see an empty object.
 */
function clientWithoutPage(proxyUrl: string): VideoRetalkClient {
  return new Proxy({} as VideoRetalkClient, {
    get(target, property) {
      if (!CLIENT_PROPERTIES.has(property)) return Reflect.get(target, property);
      throw new ValidationError(
        "proxyUrl",
        `The relative proxyUrl "${proxyUrl}" works only in a browser page; pass an absolute URL elsewhere.`,
      );
    },
  });
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
    throw new Error("useVideoRetalkClient() was called outside <VideoRetalkProvider>; wrap your app in one.");
  }
  return client;
}
