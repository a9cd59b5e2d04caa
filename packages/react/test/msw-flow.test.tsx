/**
 * The whole create → progress → completed flow of `useLipSync` against the emulator's MSW
 * handlers (`@videoretalk/emulator/msw`): the emulator's own task state machine and scenarios,
 * no server, on fake time (the handlers read `Date.now`, which the fake clock drives).
 */
import { act, cleanup } from "@testing-library/react";
import { createVideoRetalk } from "@videoretalk/core";
import { createEmulatorHandlers } from "@videoretalk/emulator/msw";
import { TaskFailedError } from "@videoretalk/polling";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type UseLipSyncResult, useLipSync } from "../src/index.js";
import { useFakeTime } from "./support/fake-time.js";
import { FAST, renderWithClient } from "./support/render.js";

const PROXY = "https://app.example/api/videoretalk";
// speed 30 and random 0: every task takes 1 s of fake time (pending for the first 0.1 s).
const emulator = createEmulatorHandlers({ baseUrl: PROXY, speed: 30, random: () => 0 });
const server = setupServer(...emulator.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  cleanup();
  emulator.reset();
});
afterAll(() => server.close());

/** A browser client talking to the proxy path the handlers answer. */
const browserClient = () =>
  createVideoRetalk({ apiKey: null, baseUrl: PROXY, dangerouslyAllowBrowser: true, maxRetries: 0 });

const params = (scenario?: string) => ({
  video_url: `https://cdn.example/speaker.mp4${scenario ? `?scenario=${scenario}` : ""}`,
  audio_url: "https://cdn.example/speech-de.wav",
});

function renderFlow() {
  const seen: UseLipSyncResult[] = [];
  const rendered = renderWithClient(
    () => {
      const flow = useLipSync(FAST);
      seen.push(flow);
      return flow;
    },
    { client: browserClient() },
  );
  return { result: rendered.result, seen };
}

describe("useLipSync with the emulator's MSW handlers", () => {
  it("goes from idle through pending and processing to completed, with rising progress", async () => {
    const time = useFakeTime();
    const { result, seen } = renderFlow();
    expect(result.current.status).toBe("idle");

    act(() => result.current.start(params()));
    await time.until(() => expect(result.current.status).toBe("completed"));

    const [task] = emulator.tasks();
    expect(emulator.tasks()).toHaveLength(1);
    expect(task?.status).toBe("completed");
    expect(result.current).toMatchObject({ taskId: task?.id, progress: 100, error: null });
    expect(result.current.resultUrl).toBe(`${PROXY}/results/${task?.id}.mp4`);

    expect([...new Set(seen.map((flow) => flow.status))]).toEqual([
      "idle",
      "creating",
      "pending",
      "processing",
      "completed",
    ]);
    const progress = seen.map((flow) => flow.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.some((value) => value > 10 && value < 95)).toBe(true);

    const video = await fetch(result.current.resultUrl ?? "");
    expect(video.headers.get("content-type")).toBe("video/mp4");
  });

  it("ends a task the emulator fails (scenario fail:<code>) in TaskFailedError with that code", async () => {
    const time = useFakeTime();
    const { result } = renderFlow();

    act(() => result.current.start(params("fail:content_policy_violation")));
    await time.until(() => expect(result.current.status).toBe("failed"));

    expect(result.current.error).toBeInstanceOf(TaskFailedError);
    expect(result.current.task?.error?.code).toBe("content_policy_violation");
    expect(result.current.resultUrl).toBeUndefined();
  });

  it("surfaces the emulator's validation error and creates nothing", async () => {
    const time = useFakeTime();
    const { result } = renderFlow();

    act(() => result.current.start({ ...params(), audio_url: "ftp://cdn.example/speech.wav" }));
    await time.until(() => expect(result.current.status).toBe("error"));

    expect(result.current.error?.message).toMatch(/audio_url/);
    expect(emulator.tasks()).toHaveLength(0);
  });
});
