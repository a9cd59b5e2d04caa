import { focusManager } from "@tanstack/react-query";
import { act, cleanup, waitFor } from "@testing-library/react";
import { NotFoundError, RequestAbortedError } from "@videoretalk/core";
import { afterEach, describe, expect, it } from "vitest";
import { taskQueryKey, useTask } from "../src/index.js";
import { TASK_QUERY_RETRIES } from "../src/task-schedule.js";
import { createFakeApi, RESULT_URL, task } from "./support/fake-api.js";
import { useFakeTime } from "./support/fake-time.js";
import { FAST, renderWithClient } from "./support/render.js";

const ID = "task-unified-1756817821-usetask1";

afterEach(() => {
  cleanup();
  focusManager.setFocused(undefined);
});

function completing() {
  return [task("pending", 0), task("processing", 50), task("completed", 100, { results: [RESULT_URL] })];
}

describe("useTask", () => {
  it("reads nothing while taskId is null", async () => {
    const api = createFakeApi();
    const time = useFakeTime();
    const { result } = renderWithClient(() => useTask(null, FAST), { client: api.client() });
    await time.advance(60_000);
    expect(result.current).toMatchObject({ status: "pending", fetchStatus: "idle", data: undefined });
    expect(api.requests).toHaveLength(0);
  });

  it("reads nothing with enabled: false, and starts when enabled", async () => {
    const time = useFakeTime();
    const api = createFakeApi();
    api.setTimeline(ID, completing());
    const { result, rerender } = renderWithClient(
      (props: { enabled: boolean }) => useTask(ID, { ...FAST, ...props }),
      { client: api.client() },
      { enabled: false },
    );
    await time.advance(60_000);
    expect(api.requests).toHaveLength(0);
    rerender({ enabled: true });
    await time.until(() => expect(result.current.data?.status).toBe("completed"));
  });

  it("polls until a terminal status, then stops", async () => {
    const api = createFakeApi();
    api.setTimeline(ID, completing());
    const time = useFakeTime();
    const { result } = renderWithClient(() => useTask(ID, FAST), { client: api.client() });
    await time.until(() => expect(result.current.data?.status).toBe("completed"));
    expect(result.current.data?.results).toEqual([RESULT_URL]);
    expect(api.gets()).toHaveLength(3);
    // Ten minutes of fake time later, still three reads: polling stopped at the terminal status.
    await time.advance(10 * 60_000);
    expect(api.gets()).toHaveLength(3);
    expect(api.gets().every((r) => r.headers.authorization === "Bearer sk-test-key")).toBe(true);
  });

  it("waits at least minIntervalMs between reads", async () => {
    const api = createFakeApi();
    api.setTimeline(ID, [
      task("processing", 10),
      task("processing", 20),
      task("processing", 30),
      task("completed", 100, { results: [RESULT_URL] }),
    ]);
    const time = useFakeTime();
    const readAt: number[] = [];
    const client = api.client();
    const { result } = renderWithClient(() => useTask(ID, { minIntervalMs: 60, maxIntervalMs: 60 }), { client });
    const reads = () => api.gets().length;
    let seen = 0;
    await time.until(() => {
      // Stamp each read with the fake time it was sent at.
      while (seen < reads()) {
        readAt.push(time.clock.now());
        seen++;
      }
      expect(result.current.data?.status).toBe("completed");
    });
    const gaps = readAt.slice(1).map((t, i) => t - (readAt[i] ?? 0));
    expect(gaps).toHaveLength(3);
    // Exact in fake time: each read comes 60 ms after the previous one, never sooner.
    for (const gap of gaps) expect(gap).toBe(60);
  });

  it("passes the query's AbortSignal: unmount aborts the read in flight, nothing more is sent", async () => {
    const api = createFakeApi();
    api.setTimeline(ID, [task("processing", 10), { hold: true }, task("completed", 100)]);
    const time = useFakeTime();
    const { unmount } = renderWithClient(() => useTask(ID, FAST), { client: api.client() });
    await time.until(() => expect(api.gets()).toHaveLength(2));
    const inFlight = api.gets()[1];
    unmount();
    expect(inFlight?.signal?.aborted).toBe(true);
    await time.advance(10 * 60_000);
    expect(api.gets()).toHaveLength(2);
  });

  it("does not poll while the tab is hidden, and reads again when it comes back", async () => {
    const api = createFakeApi();
    api.setTimeline(ID, [
      task("processing", 10),
      task("processing", 20),
      task("completed", 100, { results: [RESULT_URL] }),
    ]);
    const time = useFakeTime();
    focusManager.setFocused(false);
    const { result } = renderWithClient(() => useTask(ID, FAST), { client: api.client() });
    // The first read happens on mount; the interval then fires but does not read.
    await time.until(() => expect(result.current.data?.progress).toBe(10));
    // Fifty 20 ms intervals fire while hidden; none of them reads.
    await time.advance(1_000);
    expect(api.gets()).toHaveLength(1);
    act(() => focusManager.setFocused(true));
    await time.until(() => expect(result.current.data?.status).toBe("completed"));
    expect(api.gets()).toHaveLength(3);
  });

  it("retries transient failures (503) and then succeeds", async () => {
    const api = createFakeApi();
    api.setTimeline(ID, [
      { httpStatus: 503, body: { error: { code: "busy", message: "try later" } }, headers: { "retry-after": "0" } },
      task("completed", 100, { results: [RESULT_URL] }),
    ]);
    const { result } = renderWithClient(() => useTask(ID, FAST), { client: api.client() });
    await waitFor(() => expect(result.current.data?.status).toBe("completed"));
    expect(api.gets()).toHaveLength(2);
  });

  it("a read that keeps failing costs 1 + TASK_QUERY_RETRIES requests, not retries on top of retries", async () => {
    const api = createFakeApi();
    const busy = {
      httpStatus: 503,
      body: { error: { code: "busy", message: "try later" } },
      headers: { "retry-after": "0" },
    };
    api.setTimeline(ID, [busy, busy, busy, busy, busy, busy, busy, busy, busy, busy, busy, busy]);
    // maxIntervalMs 10 s: after the failed read, the next poll waits 5 s, outside this test.
    const { result } = renderWithClient(() => useTask(ID, { minIntervalMs: 20, maxIntervalMs: 10_000 }), {
      client: api.client(),
    });
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(api.gets()).toHaveLength(1 + TASK_QUERY_RETRIES);
  });

  it("does not retry a 404: error is a NotFoundError and polling stops", async () => {
    const api = createFakeApi();
    const time = useFakeTime();
    const { result } = renderWithClient(() => useTask("task-unified-1-missing0", FAST), { client: api.client() });
    await time.until(() => expect(result.current.isError).toBe(true));
    expect(result.current.error).toBeInstanceOf(NotFoundError);
    expect(result.current.error?.status).toBe(404);
    await time.advance(10 * 60_000);
    expect(api.gets()).toHaveLength(1);
  });

  it("keeps the task under taskQueryKey in the QueryClient", async () => {
    const api = createFakeApi();
    api.setTimeline(ID, [task("completed", 100, { results: [RESULT_URL] })]);
    const { result, queryClient } = renderWithClient(() => useTask(ID, FAST), { client: api.client() });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(queryClient.getQueryData(taskQueryKey(ID))).toEqual(result.current.data);
  });

  it("a read cancelled by unmount does not surface as an error on remount", async () => {
    const api = createFakeApi();
    api.setTimeline(ID, [{ hold: true }, task("completed", 100, { results: [RESULT_URL] })]);
    const client = api.client();
    const first = renderWithClient(() => useTask(ID, FAST), { client });
    await waitFor(() => expect(api.gets()).toHaveLength(1));
    first.unmount();
    expect(api.gets()[0]?.signal?.aborted).toBe(true);
    const second = renderWithClient(() => useTask(ID, FAST), { client, queryClient: first.queryClient });
    await waitFor(() => expect(second.result.current.data?.status).toBe("completed"));
    expect(second.result.current.error).toBeNull();
    expect(second.result.current.error).not.toBeInstanceOf(RequestAbortedError);
  });
});
