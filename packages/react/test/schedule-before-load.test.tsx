import { cleanup } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { taskQueryKey, useTask } from "../src/index.js";
import { loadedTaskSchedule } from "../src/task-schedule-loader.js";
import { createFakeApi, RESULT_URL, TASK_ID, task } from "./support/fake-api.js";
import { useFakeTime } from "./support/fake-time.js";
import { renderWithClient, testQueryClient } from "./support/render.js";

afterEach(cleanup);

// A file of its own: the schedule's chunk must not have been loaded by an earlier test.
describe("a task in the cache before the polling schedule has loaded", () => {
  it("counts as fresh, is read again after minIntervalMs, and that read loads the schedule", async () => {
    const time = useFakeTime();
    const api = createFakeApi();
    api.setTimeline(TASK_ID, [task("processing", 70), task("completed", 100, { results: [RESULT_URL] })]);
    // As if hydrated from a server prefetch: the task is cached, but this page has read nothing.
    const queryClient = testQueryClient();
    queryClient.setQueryData(taskQueryKey(TASK_ID), { ...task("processing", 40), id: TASK_ID } as never);
    const bounds = { minIntervalMs: 3_000, maxIntervalMs: 60_000 };
    const { result } = renderWithClient(() => useTask(TASK_ID, bounds), { client: api.client(), queryClient });
    const mountedAt = time.clock.now();

    expect(result.current.data?.progress).toBe(40);
    expect(loadedTaskSchedule()).toBeUndefined();
    await time.advance(2_999);
    expect(api.gets()).toHaveLength(0);

    await time.until(() => expect(api.gets()).toHaveLength(1));
    expect(time.clock.now() - mountedAt).toBe(3_000);
    await time.until(() => expect(result.current.data?.progress).toBe(70));
    expect(loadedTaskSchedule()).toBeDefined();
    await time.until(() => expect(result.current.data?.status).toBe("completed"));
    expect(api.gets()).toHaveLength(2);
  });
});
