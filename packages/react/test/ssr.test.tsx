// @vitest-environment node
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createVideoRetalk, ValidationError } from "@videoretalk/core";
import { renderToString } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useLipSync, useVideoRetalkClient, VideoRetalkProvider } from "../src/index.js";
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

/** Reads `client.tasks` while rendering and reports what that threw. */
function ReadsTheClient({ onFailure }: { onFailure: (error: unknown) => void }) {
  const client = useVideoRetalkClient();
  try {
    void client.tasks;
  } catch (error) {
    onFailure(error);
  }
  return null;
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

  it("a relative proxyUrl's client refuses to be used on the server, naming proxyUrl", () => {
    let failure: unknown;
    renderToString(
      <VideoRetalkProvider proxyUrl="/api/videoretalk">
        <ReadsTheClient
          onFailure={(error) => {
            failure = error;
          }}
        />
      </VideoRetalkProvider>,
    );
    expect(failure).toBeInstanceOf(ValidationError);
    expect(failure).toMatchObject({ field: "proxyUrl" });
    expect((failure as Error).message).toMatch(/relative proxyUrl "\/api\/videoretalk".*absolute URL/);
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
