import { act, cleanup, render, waitFor } from "@testing-library/react";
import { type CreatedTask, InternalServerError } from "@videoretalk/core";
import { StrictMode, useEffect } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { taskQueryKey, type UseCreateLipSyncResult, useCreateLipSync, VideoRetalkProvider } from "../src/index.js";
import { createFakeApi, PARAMS, TASK_ID } from "./support/fake-api.js";
import { renderWithClient } from "./support/render.js";

afterEach(cleanup);

/** Calls mutate() from an effect, which StrictMode runs twice on mount. */
function SubmitOnMount({
  onRender,
  onEffect,
}: {
  onEffect: () => void;
  onRender: (create: UseCreateLipSyncResult) => void;
}) {
  const create = useCreateLipSync();
  onRender(create);
  const { mutate } = create;
  useEffect(() => {
    onEffect();
    mutate(PARAMS);
  }, [mutate, onEffect]);
  return null;
}

describe("useCreateLipSync", () => {
  it("a mutate while one is pending joins it: same promise, one request, one idempotency key", async () => {
    const api = createFakeApi({ createReplies: [{ hold: true }] });
    const { result } = renderWithClient(() => useCreateLipSync(), { client: api.client() });

    let first: Promise<CreatedTask> | undefined;
    let second: Promise<CreatedTask> | undefined;
    act(() => {
      first = result.current.mutateAsync(PARAMS);
      second = result.current.mutateAsync(PARAMS);
    });
    expect(second).toBe(first);
    await waitFor(() => expect(result.current.isPending).toBe(true));
    // A third call after re-render (a late double click) joins too.
    act(() => result.current.mutate(PARAMS));
    await waitFor(() => expect(api.creates()).toHaveLength(1));

    act(() => api.release());
    await expect(first).resolves.toMatchObject({ id: TASK_ID, status: "pending" });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(api.creates()).toHaveLength(1);
    expect(api.creates()[0]?.headers["idempotency-key"]).toMatch(/^[A-Za-z0-9._-]{16,96}$/);
  });

  it("a submission after the previous one settled is new, with a new key", async () => {
    const api = createFakeApi();
    const { result } = renderWithClient(() => useCreateLipSync(), { client: api.client() });
    await act(() => result.current.mutateAsync(PARAMS));
    await act(() => result.current.mutateAsync(PARAMS));
    const keys = api.creates().map((r) => r.headers["idempotency-key"]);
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it("in StrictMode, mutate from an effect sends one create request", async () => {
    const api = createFakeApi();
    const client = api.client();
    let latest: UseCreateLipSyncResult | undefined;
    let effects = 0;
    const countEffect = () => {
      effects++;
    };
    render(
      <StrictMode>
        <VideoRetalkProvider client={client}>
          <SubmitOnMount
            onEffect={countEffect}
            onRender={(create) => {
              latest = create;
            }}
          />
        </VideoRetalkProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(latest?.isSuccess).toBe(true));
    // StrictMode really ran the effect twice; the second mutate() joined the first.
    expect(effects).toBe(2);
    expect(api.creates()).toHaveLength(1);
  });

  it("is never retried: a 500 fails after one request, with the key on the error", async () => {
    const api = createFakeApi({
      createReplies: [{ httpStatus: 500, body: { error: { code: "internal_error", message: "boom" } } }],
    });
    const { result } = renderWithClient(() => useCreateLipSync(), { client: api.client() });
    act(() => result.current.mutate(PARAMS));
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error).toBeInstanceOf(InternalServerError);
    expect(result.current.error?.status).toBe(500);
    expect(result.current.error?.idempotencyKey).toBe(api.creates()[0]?.headers["idempotency-key"]);
    expect(api.creates()).toHaveLength(1);
  });

  it("puts the created task in the query cache, where useTask finds it", async () => {
    const api = createFakeApi();
    const { result, queryClient } = renderWithClient(() => useCreateLipSync(), { client: api.client() });
    await act(() => result.current.mutateAsync(PARAMS));
    expect(queryClient.getQueryData(taskQueryKey(TASK_ID))).toMatchObject({ id: TASK_ID, status: "pending" });
  });

  it("reset() forgets a pending submission, so the next mutate is a new one", async () => {
    const api = createFakeApi({ createReplies: [{ hold: true }] });
    const { result } = renderWithClient(() => useCreateLipSync(), { client: api.client() });
    let first: Promise<CreatedTask> | undefined;
    act(() => {
      first = result.current.mutateAsync(PARAMS);
    });
    act(() => result.current.reset());
    let second: Promise<CreatedTask> | undefined;
    act(() => {
      second = result.current.mutateAsync(PARAMS);
    });
    expect(second).not.toBe(first);
    await expect(second).resolves.toMatchObject({ status: "pending" });
    act(() => api.release());
    await first;
    expect(api.creates()).toHaveLength(2);
  });
});
