import { act, cleanup } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useLipSync } from "../src/index.js";
import { createFakeApi, PARAMS, RESULT_URL, TASK_ID } from "./support/fake-api.js";
import { useFakeTime } from "./support/fake-time.js";
import { FAST, renderWithClient } from "./support/render.js";

/**
 * The polling schedule's chunk arrives late (a slow network): its load waits on `chunk.release`.
 * The task id must reach the app as soon as the task exists, whatever the chunk does, so that a
 * page closed meanwhile can still resume the task and nobody is tempted to submit again.
 */
const chunk = vi.hoisted(() => {
  let release: () => void = () => {};
  const arrived = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { arrived, release: () => release() };
});
vi.mock("../src/task-schedule.js", async (importOriginal) => {
  await chunk.arrived;
  return importOriginal();
});

afterEach(() => cleanup());

describe("the polling schedule's chunk is slow", () => {
  it("useLipSync reports the created task's id before the chunk arrives, then follows it to the end", async () => {
    const time = useFakeTime();
    const api = createFakeApi();
    const { result } = renderWithClient(() => useLipSync(FAST), { client: api.client() });

    act(() => result.current.start(PARAMS));
    await time.until(() => expect(result.current.taskId).toBe(TASK_ID));
    expect(result.current.status).not.toBe("creating");
    expect(result.current.error).toBeNull();
    expect(api.creates()).toHaveLength(1);

    chunk.release();
    await time.until(() => expect(result.current.status).toBe("completed"));
    expect(result.current).toMatchObject({ taskId: TASK_ID, resultUrl: RESULT_URL, error: null });
    expect(api.creates()).toHaveLength(1);
  });
});
