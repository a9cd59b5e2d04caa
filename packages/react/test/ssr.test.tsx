// @vitest-environment node
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createVideoRetalk } from "@videoretalk/core";
import { renderToString } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useLipSync, VideoRetalkProvider } from "../src/index.js";
import { taskQueryOptions } from "../src/queries.js";
import { BASE_URL, createFakeApi, RESULT_URL, task } from "./support/fake-api.js";

const ID = "task-unified-1756817821-ssr00002";

function Progress({ taskId }: { taskId: string }) {
  const { status, progress, resultUrl } = useLipSync({ taskId });
  return (
    <p>
      {status} {progress}% {resultUrl ?? "no result"}
    </p>
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("server-side rendering", () => {
  it("renders with a relative proxyUrl and requests nothing on the server", () => {
    const fetchSpy = vi.fn();
    vi.stubGlobal("fetch", fetchSpy);
    const html = renderToString(
      <VideoRetalkProvider proxyUrl="/api/videoretalk">
        <Progress taskId={ID} />
      </VideoRetalkProvider>,
    );
    expect(html).toContain("pending");
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("renders a task prefetched with taskQueryOptions", async () => {
    const api = createFakeApi();
    api.setTimeline(ID, [task("completed", 100, { results: [RESULT_URL] })]);
    const server = createVideoRetalk({ apiKey: "sk-server", baseUrl: BASE_URL, fetch: api.fetch, maxRetries: 0 });
    const queryClient = new QueryClient();
    await queryClient.prefetchQuery(taskQueryOptions(server, ID));

    const html = renderToString(
      <QueryClientProvider client={queryClient}>
        <VideoRetalkProvider proxyUrl="/api/videoretalk">
          <Progress taskId={ID} />
        </VideoRetalkProvider>
      </QueryClientProvider>,
    );
    expect(html).toContain("completed");
    expect(html).toContain("100");
    expect(html).toContain(RESULT_URL);
    expect(api.gets()).toHaveLength(1);
  });
});
