import { focusManager } from "@tanstack/react-query";
import { act, cleanup } from "@testing-library/react";
import { VideoRetalkError } from "@videoretalk/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useLipSync, useTask } from "../src/index.js";
import { createFakeApi, PARAMS, RESULT_URL, TASK_ID, task } from "./support/fake-api.js";
import { useFakeTime } from "./support/fake-time.js";
import { FAST, renderWithClient } from "./support/render.js";

/**
 * The polling schedule is a chunk loaded with `import()` (task-schedule-loader.ts). Here its
 * load fails for real (the module's factory throws, as a chunk that cannot be fetched would)
 * until `chunk.available` is set, to check what a user sees then. Once loaded, the module stays
 * loaded for the rest of this file, so the tests that need a failing load come first.
 */
const chunk = vi.hoisted(() => ({ available: false, loads: 0 }));
vi.mock("../src/task-schedule.js", async (importOriginal) => {
  chunk.loads++;
  if (!chunk.available) throw new TypeError("Failed to fetch dynamically imported module: task-schedule.js");
  return importOriginal();
});

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeEach(() => {
  chunk.available = false;
  chunk.loads = 0;
  unhandled.length = 0;
  process.on("unhandledRejection", onUnhandled);
});

afterEach(() => {
  cleanup();
  focusManager.setFocused(undefined);
  process.off("unhandledRejection", onUnhandled);
});

function expectChunkError(error: unknown): void {
  expect(error).toBeInstanceOf(VideoRetalkError);
  expect((error as Error).message).toMatch(/could not load the polling schedule/i);
  // The import's own failure is kept as the cause (here as vitest's module mocking reports it).
  expect((error as Error).cause).toBeInstanceOf(Error);
}

describe("the polling schedule's chunk fails to load", () => {
  it("useTask: the read fails with a typed error, is not retried, and polling stops", async () => {
    const time = useFakeTime();
    const api = createFakeApi();
    api.setTimeline(TASK_ID, [task("processing", 10)]);
    const { result } = renderWithClient(() => useTask(TASK_ID, FAST), { client: api.client() });

    await time.until(() => expect(result.current.status).toBe("error"));
    expectChunkError(result.current.error);
    // The API answered; the chunk is what failed, so there is no data and no retry.
    expect(result.current.data).toBeUndefined();
    expect(api.gets()).toHaveLength(1);
    await time.advance(10 * 60_000);
    expect(api.gets()).toHaveLength(1);
    expect(unhandled).toEqual([]);
  });

  it("useLipSync: the task is still created, and the chunk's error lands in `error`", async () => {
    const time = useFakeTime();
    const api = createFakeApi();
    const { result } = renderWithClient(() => useLipSync(FAST), { client: api.client() });

    act(() => result.current.start(PARAMS));
    await time.until(() => expect(result.current.status).toBe("error"));
    expect(api.creates()).toHaveLength(1);
    expect(result.current.taskId).toBe(TASK_ID);
    expectChunkError(result.current.error);
    // Loaded alongside the create, then again (a failed load is forgotten) with the first read.
    expect(chunk.loads).toBe(2);
    // Polling stopped, as after any permanent error...
    await time.advance(10 * 60_000);
    expect(api.gets()).toHaveLength(1);

    // ...until the window regains focus: the task is read (and the chunk loaded) again, and the
    // same task is followed to its end; nothing is created twice.
    chunk.available = true;
    act(() => {
      focusManager.setFocused(false);
      focusManager.setFocused(true);
    });
    await time.until(() => expect(result.current.status).toBe("completed"));
    expect(result.current).toMatchObject({ taskId: TASK_ID, resultUrl: RESULT_URL, error: null });
    expect(api.creates()).toHaveLength(1);
    expect(unhandled).toEqual([]);
  });
});
