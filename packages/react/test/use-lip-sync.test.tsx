import { act, cleanup, render, waitFor } from "@testing-library/react";
import { AuthenticationError, NotFoundError, VideoRetalkError } from "@videoretalk/core";
import { TaskCancelledError, TaskFailedError } from "@videoretalk/polling";
import { StrictMode, useEffect } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { type UseLipSyncResult, useLipSync, VideoRetalkProvider } from "../src/index.js";
import { createFakeApi, PARAMS, RESULT_URL, TASK_ID, task } from "./support/fake-api.js";
import { useFakeTime } from "./support/fake-time.js";
import { FAST, renderWithClient } from "./support/render.js";

afterEach(cleanup);

/** Calls start() from an effect, which StrictMode runs twice on mount. */
function StartOnMount({ onRender, onEffect }: { onEffect: () => void; onRender: (flow: UseLipSyncResult) => void }) {
  const flow = useLipSync(FAST);
  onRender(flow);
  const { start } = flow;
  useEffect(() => {
    onEffect();
    start(PARAMS);
  }, [start, onEffect]);
  return null;
}

describe("useLipSync", () => {
  it("starts idle", () => {
    const api = createFakeApi();
    const { result } = renderWithClient(() => useLipSync(FAST), { client: api.client() });
    expect(result.current).toMatchObject({
      status: "idle",
      task: undefined,
      taskId: null,
      progress: 0,
      resultUrl: undefined,
      error: null,
    });
    expect(api.requests).toHaveLength(0);
  });

  it("creates a task and polls it to completion, updating progress, then stops polling", async () => {
    const time = useFakeTime();
    const api = createFakeApi();
    const seen: UseLipSyncResult[] = [];
    const { result } = renderWithClient(
      () => {
        const flow = useLipSync(FAST);
        seen.push(flow);
        return flow;
      },
      { client: api.client() },
    );

    act(() => result.current.start(PARAMS));
    expect(result.current.status).toBe("creating");

    await time.until(() => expect(result.current.status).toBe("completed"));
    expect(result.current).toMatchObject({ taskId: TASK_ID, progress: 100, resultUrl: RESULT_URL, error: null });
    expect(result.current.task?.results).toEqual([RESULT_URL]);

    const statuses = [...new Set(seen.map((s) => s.status))];
    expect(statuses).toEqual(["idle", "creating", "pending", "processing", "completed"]);
    const progress = [...new Set(seen.map((s) => s.progress))];
    expect(progress).toEqual([0, 5, 30, 60, 100]);

    expect(api.creates()).toHaveLength(1);
    expect(api.creates()[0]?.body).toMatchObject(PARAMS);
    const reads = api.gets().length;
    expect(reads).toBe(4);
    await time.advance(10 * 60_000);
    expect(api.gets()).toHaveLength(reads);
  });

  it("in StrictMode, a start() from an effect creates exactly one task", async () => {
    const api = createFakeApi();
    const client = api.client();
    let latest: UseLipSyncResult | undefined;
    let effects = 0;
    const countEffect = () => {
      effects++;
    };
    render(
      <StrictMode>
        <VideoRetalkProvider client={client}>
          <StartOnMount
            onEffect={countEffect}
            onRender={(flow) => {
              latest = flow;
            }}
          />
        </VideoRetalkProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(latest?.status).toBe("completed"));
    // StrictMode really ran the effect twice; the second start() was ignored.
    expect(effects).toBe(2);
    expect(api.creates()).toHaveLength(1);
  });

  it("ignores start() while a submission or a running task is active", async () => {
    const api = createFakeApi({
      createReplies: [{ hold: true }],
      timeline: [task("processing", 30), { hold: true }, task("completed", 100, { results: [RESULT_URL] })],
    });
    const { result } = renderWithClient(() => useLipSync(FAST), { client: api.client() });

    act(() => {
      result.current.start(PARAMS);
      result.current.start(PARAMS);
    });
    act(() => result.current.start({ ...PARAMS, audio_url: "https://media.videoretalk.test/other.wav" }));
    await waitFor(() => expect(api.creates()).toHaveLength(1));
    expect(result.current.status).toBe("creating");

    act(() => api.release()); // the create answers
    await waitFor(() => expect(api.gets()).toHaveLength(2)); // the second read is held
    expect(result.current.status).toBe("processing");
    act(() => result.current.start(PARAMS));

    act(() => api.release()); // the task completes
    await waitFor(() => expect(result.current.status).toBe("completed"));
    expect(api.creates()).toHaveLength(1);
  });

  it("a new start() after the task finished is a new submission with a new idempotency key", async () => {
    const api = createFakeApi();
    const { result } = renderWithClient(() => useLipSync(FAST), { client: api.client() });
    act(() => result.current.start(PARAMS));
    await waitFor(() => expect(result.current.status).toBe("completed"));
    const firstId = result.current.taskId;

    act(() => result.current.start(PARAMS));
    expect(result.current).toMatchObject({ status: "creating", taskId: null, task: undefined });
    await waitFor(() => expect(result.current.status).toBe("completed"));
    expect(result.current.taskId).not.toBe(firstId);
    const [first, second] = api.creates();
    expect(first?.headers["idempotency-key"]).toMatch(/^[A-Za-z0-9._-]{16,96}$/);
    expect(second?.headers["idempotency-key"]).toMatch(/^[A-Za-z0-9._-]{16,96}$/);
    expect(second?.headers["idempotency-key"]).not.toBe(first?.headers["idempotency-key"]);
  });

  it("puts a 401 from create in `error` as an AuthenticationError with status and requestId", async () => {
    const api = createFakeApi({
      createReplies: [
        {
          httpStatus: 401,
          body: { error: { code: "invalid_api_key", message: "Invalid API key", type: "authentication_error" } },
          headers: { "x-request-id": "req_auth_1" },
        },
      ],
    });
    const { result } = renderWithClient(() => useLipSync(FAST), { client: api.client() });
    act(() => result.current.start(PARAMS));

    await waitFor(() => expect(result.current.status).toBe("error"));
    const { error } = result.current;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toBeInstanceOf(VideoRetalkError);
    expect(error).toBeInstanceOf(Error);
    expect(error?.status).toBe(401);
    expect(error?.requestId).toBe("req_auth_1");
    expect(error?.idempotencyKey).toBe(api.creates()[0]?.headers["idempotency-key"]);
    expect(result.current.taskId).toBeNull();
    expect(api.gets()).toHaveLength(0);

    act(() => result.current.reset());
    expect(result.current).toMatchObject({ status: "idle", error: null, taskId: null, task: undefined });

    // After an error, start() is allowed again.
    act(() => result.current.start(PARAMS));
    await waitFor(() => expect(result.current.status).toBe("completed"));
    expect(api.creates()).toHaveLength(2);
  });

  it("a failed task puts a TaskFailedError with the API's code in `error`", async () => {
    const api = createFakeApi({
      timeline: [
        task("processing", 20),
        task("failed", 0, {
          error: { code: "content_policy_violation", message: "Blocked by safety filters.", type: "task_error" },
        }),
      ],
    });
    const time = useFakeTime();
    const { result } = renderWithClient(() => useLipSync(FAST), { client: api.client() });
    act(() => result.current.start(PARAMS));

    await time.until(() => expect(result.current.status).toBe("failed"));
    const { error } = result.current;
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error).toBeInstanceOf(VideoRetalkError);
    expect((error as TaskFailedError).code).toBe("content_policy_violation");
    expect(error?.message).toContain("Blocked by safety filters.");
    expect(error?.status).toBeUndefined();
    // The id of the read that reported the failure survives TanStack's caching of the task.
    expect(error?.requestId).toMatch(/^req_task_\d+$/);
    expect(error?.taskId).toBe(TASK_ID);
    expect(result.current.resultUrl).toBeUndefined();
    const reads = api.gets().length;
    await time.advance(10 * 60_000);
    expect(api.gets()).toHaveLength(reads);
  });

  it("a cancelled task puts a TaskCancelledError in `error`", async () => {
    const api = createFakeApi({ timeline: [task("pending", 0), task("cancelled", 0)] });
    const { result } = renderWithClient(() => useLipSync(FAST), { client: api.client() });
    act(() => result.current.start(PARAMS));

    await waitFor(() => expect(result.current.status).toBe("cancelled"));
    expect(result.current.error).toBeInstanceOf(TaskCancelledError);
    expect(result.current.error?.status).toBeUndefined();
    expect(result.current.error?.taskId).toBe(TASK_ID);
  });

  it("a completed task without results is a TaskFailedError (missing_results)", async () => {
    const api = createFakeApi({ timeline: [task("completed", 100, { results: [] })] });
    const { result } = renderWithClient(() => useLipSync(FAST), { client: api.client() });
    act(() => result.current.start(PARAMS));

    await waitFor(() => expect(result.current.status).toBe("error"));
    expect(result.current.error).toBeInstanceOf(TaskFailedError);
    expect((result.current.error as TaskFailedError).code).toBe("missing_results");
  });

  it("resumes a task id kept across a reload and polls it to completion without creating", async () => {
    const api = createFakeApi();
    const resumed = "task-unified-1756800000-resume01";
    api.setTimeline(resumed, [
      task("processing", 40),
      task("processing", 70),
      task("completed", 100, { results: [RESULT_URL] }),
    ]);
    const { result } = renderWithClient(() => useLipSync({ taskId: resumed, ...FAST }), { client: api.client() });

    expect(result.current.taskId).toBe(resumed);
    expect(result.current.status).toBe("pending");
    await waitFor(() => expect(result.current.status).toBe("completed"));
    expect(result.current).toMatchObject({ progress: 100, resultUrl: RESULT_URL, error: null });
    expect(api.creates()).toHaveLength(0);
    expect(api.gets().map((r) => r.path)).toEqual(Array(3).fill(`/v1/tasks/${resumed}`));
  });

  it("adopts a resume id that arrives later (e.g. read from storage after mount)", async () => {
    const api = createFakeApi();
    const resumed = "task-unified-1756800000-resume02";
    api.setTimeline(resumed, [task("completed", 100, { results: [RESULT_URL] })]);
    const { result, rerender } = renderWithClient<UseLipSyncResult, { taskId: string | null }>(
      (props) => useLipSync({ ...props, ...FAST }),
      { client: api.client() },
      { taskId: null },
    );
    expect(result.current.status).toBe("idle");
    rerender({ taskId: resumed });
    await waitFor(() => expect(result.current.status).toBe("completed"));
    expect(result.current.taskId).toBe(resumed);
  });

  it("reports an unknown resumed id as a NotFoundError", async () => {
    const api = createFakeApi();
    const { result } = renderWithClient(() => useLipSync({ taskId: "task-unified-1-gone0000", ...FAST }), {
      client: api.client(),
    });
    await waitFor(() => expect(result.current.status).toBe("error"));
    expect(result.current.error).toBeInstanceOf(NotFoundError);
    expect(result.current.error?.status).toBe(404);
    expect(result.current.error?.requestId).toBe("req_404");
    expect(api.gets()).toHaveLength(1);
  });

  it("reset() returns to idle and stops polling", async () => {
    const time = useFakeTime();
    const api = createFakeApi({ timeline: [task("processing", 30)] });
    const { result } = renderWithClient(() => useLipSync(FAST), { client: api.client() });
    act(() => result.current.start(PARAMS));
    await time.until(() => expect(result.current.progress).toBe(30));

    act(() => result.current.reset());
    expect(result.current).toMatchObject({ status: "idle", taskId: null, task: undefined, progress: 0, error: null });
    const reads = api.gets().length;
    // Fifty polling intervals' worth of fake time: no read after the reset.
    await time.advance(1_000);
    expect(api.gets()).toHaveLength(reads);
  });

  it("unmounting while polling aborts the read in flight and sends nothing more", async () => {
    const time = useFakeTime();
    const api = createFakeApi({ timeline: [task("processing", 30), { hold: true }, task("completed", 100)] });
    const { result, unmount } = renderWithClient(() => useLipSync(FAST), { client: api.client() });
    act(() => result.current.start(PARAMS));
    await time.until(() => expect(api.gets()).toHaveLength(2));
    const inFlight = api.gets()[1];
    expect(inFlight?.signal?.aborted).toBe(false);

    unmount();
    expect(inFlight?.signal?.aborted).toBe(true);
    const count = api.requests.length;
    await time.advance(10 * 60_000);
    expect(api.requests).toHaveLength(count);
  });
});
