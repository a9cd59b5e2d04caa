import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type RenderHookResult, renderHook } from "@testing-library/react";
import type { VideoRetalkClient } from "@videoretalk/core";
import { type ReactNode, StrictMode } from "react";
import { VideoRetalkProvider } from "../../src/index.js";

/** Fast polling for tests: a read every 20 ms while a task runs. */
export const FAST = { minIntervalMs: 20, maxIntervalMs: 20 } as const;

export function testQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
}

export interface RenderOptions {
  client: VideoRetalkClient;
  queryClient?: QueryClient;
  strict?: boolean;
}

/** renderHook inside <QueryClientProvider><VideoRetalkProvider client>, optionally in StrictMode. */
export function renderWithClient<Result, Props>(
  hook: (props: Props) => Result,
  { client, queryClient = testQueryClient(), strict = false }: RenderOptions,
  initialProps?: Props,
): RenderHookResult<Result, Props> & { queryClient: QueryClient } {
  const wrapper = ({ children }: { children: ReactNode }) => {
    const tree = (
      <QueryClientProvider client={queryClient}>
        <VideoRetalkProvider client={client}>{children}</VideoRetalkProvider>
      </QueryClientProvider>
    );
    return strict ? <StrictMode>{tree}</StrictMode> : tree;
  };
  const rendered = renderHook<Result, Props>(
    hook,
    initialProps === undefined ? { wrapper } : { wrapper, initialProps },
  );
  return Object.assign(rendered, { queryClient });
}
