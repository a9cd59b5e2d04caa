import { QueryClient, QueryClientProvider, useQueryClient } from "@tanstack/react-query";
import { cleanup, render, renderHook, waitFor } from "@testing-library/react";
import { createVideoRetalk, ValidationError, type VideoRetalkClient } from "@videoretalk/core";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { taskQueryKey, useTask, useVideoRetalkClient, VideoRetalkProvider } from "../src/index.js";
import { createFakeApi, RESULT_URL, task } from "./support/fake-api.js";
import { FAST } from "./support/render.js";

const ID = "task-unified-1756817821-provider";
const PROXY_URL = "https://app.videoretalk.test/api/videoretalk";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("VideoRetalkProvider", () => {
  it("with proxyUrl, builds a browser-safe client that sends no Authorization header", async () => {
    // The tests run in happy-dom: core refuses a plain client here, as it would in a browser.
    expect(() => createVideoRetalk({ apiKey: "sk-live", baseUrl: PROXY_URL })).toThrow(ValidationError);

    const api = createFakeApi();
    api.setTimeline(ID, [task("completed", 100, { results: [RESULT_URL] })]);
    vi.stubGlobal("fetch", api.fetch);
    const wrapper = ({ children }: { children: ReactNode }) => (
      <VideoRetalkProvider proxyUrl={PROXY_URL}>{children}</VideoRetalkProvider>
    );
    const { result } = renderHook(() => ({ client: useVideoRetalkClient(), task: useTask(ID, FAST) }), { wrapper });

    expect(result.current.client.baseUrl).toBe(PROXY_URL);
    await waitFor(() => expect(result.current.task.data?.status).toBe("completed"));
    expect(api.gets()).toHaveLength(1);
    const [read] = api.gets();
    expect(read?.path).toBe(`/api/videoretalk/v1/tasks/${ID}`);
    expect(read?.headers.authorization).toBeUndefined();
    expect(Object.keys(read?.headers ?? {}).some((name) => /auth|api-key|cookie/i.test(name))).toBe(false);
  });

  it("resolves a relative proxyUrl against the page", async () => {
    const api = createFakeApi();
    api.setTimeline(ID, [task("completed", 100, { results: [RESULT_URL] })]);
    vi.stubGlobal("fetch", api.fetch);
    const wrapper = ({ children }: { children: ReactNode }) => (
      <VideoRetalkProvider proxyUrl="/api/videoretalk">{children}</VideoRetalkProvider>
    );
    const { result } = renderHook(() => ({ client: useVideoRetalkClient(), task: useTask(ID, FAST) }), { wrapper });
    expect(result.current.client.baseUrl).toBe(`${location.origin}/api/videoretalk`);
    await waitFor(() => expect(result.current.task.data?.status).toBe("completed"));
    expect(api.gets()[0]?.path).toBe(`/api/videoretalk/v1/tasks/${ID}`);
    expect(api.gets()[0]?.headers.authorization).toBeUndefined();
  });

  it("refuses to use a relative proxyUrl in a page that is not http(s)", () => {
    vi.stubGlobal("location", { href: "file:///app/index.html" });
    const wrapper = ({ children }: { children: ReactNode }) => (
      <VideoRetalkProvider proxyUrl="/api/videoretalk">{children}</VideoRetalkProvider>
    );
    const { result } = renderHook(() => useVideoRetalkClient(), { wrapper });
    expect(() => result.current.lipSync).toThrow(ValidationError);
    expect(() => result.current.baseUrl).toThrow(/only in a browser page/);
  });

  it("keeps the same proxy client across re-renders", () => {
    const wrapper = ({ children }: { children: ReactNode }) => (
      <VideoRetalkProvider proxyUrl={PROXY_URL}>{children}</VideoRetalkProvider>
    );
    const { result, rerender } = renderHook(() => useVideoRetalkClient(), { wrapper });
    const first = result.current;
    rerender();
    expect(result.current).toBe(first);
  });

  it("reuses an outer QueryClientProvider: the hooks share the app's cache", async () => {
    const api = createFakeApi();
    api.setTimeline(ID, [task("completed", 100, { results: [RESULT_URL] })]);
    const outer = new QueryClient();
    const client = api.client();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={outer}>
        <VideoRetalkProvider client={client}>{children}</VideoRetalkProvider>
      </QueryClientProvider>
    );
    const { result } = renderHook(() => ({ queryClient: useQueryClient(), task: useTask(ID, FAST) }), { wrapper });
    expect(result.current.queryClient).toBe(outer);
    await waitFor(() => expect(result.current.task.isSuccess).toBe(true));
    expect(outer.getQueryData(taskQueryKey(ID))).toMatchObject({ id: ID, status: "completed" });
  });

  it("provides a QueryClient of its own when the app has none, kept across re-renders", () => {
    const client = createFakeApi().client();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <VideoRetalkProvider client={client}>{children}</VideoRetalkProvider>
    );
    const { result, rerender } = renderHook(() => ({ queryClient: useQueryClient(), client: useVideoRetalkClient() }), {
      wrapper,
    });
    const first = result.current.queryClient;
    expect(first).toBeInstanceOf(QueryClient);
    expect(result.current.client).toBe(client);
    rerender();
    expect(result.current.queryClient).toBe(first);
  });

  it("refuses both or neither of client and proxyUrl", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const client = createFakeApi().client();
    const both = { client, proxyUrl: PROXY_URL } as unknown as { client: VideoRetalkClient };
    expect(() => render(<VideoRetalkProvider {...both} />)).toThrow(ValidationError);
    const neither = {} as { client: VideoRetalkClient };
    expect(() => render(<VideoRetalkProvider {...neither} />)).toThrow(/exactly one of/);
    vi.restoreAllMocks();
  });

  it("useVideoRetalkClient outside a provider throws a helpful error", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(() => renderHook(() => useVideoRetalkClient())).toThrow(/outside <VideoRetalkProvider>/);
    vi.restoreAllMocks();
  });
});
