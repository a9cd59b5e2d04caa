import { describe, expect, it } from "vitest";
import { call, clockOf, create, emulator, expectApiError } from "./helpers.js";

const batch = (url: string, body: unknown, token?: string | null) =>
  call(url, "/v1/tasks/batch", { method: "POST", body, ...(token === undefined ? {} : { token }) });

describe("POST /v1/tasks/batch", () => {
  it("returns each known task as GET /v1/tasks/{id} shows it; unknown ids absent, repeats once", async () => {
    const { url } = await emulator();
    const first = await create(url);
    const second = await create(url);
    await clockOf(url).advance(100);

    const answer = await batch(url, {
      task_ids: [first, "task-unified-1700000000-unknown1", second, first, "not-even-a-task-id"],
    });
    expect(answer.status).toBe(200);
    const body = answer.body as unknown as { object: string; data: Array<{ id: string }> };
    expect(body.object).toBe("list");
    expect(body.data.map((task) => task.id)).toEqual([first, second]);
    for (const task of body.data) {
      expect(task).toEqual((await call(url, `/v1/tasks/${task.id}`)).body);
    }
  });

  it("answers an empty list when no id is known", async () => {
    const { url } = await emulator();
    const answer = await batch(url, { task_ids: ["task-unified-1700000000-unknown1"] });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ object: "list", data: [] });
  });

  it("accepts 50 ids", async () => {
    const { url } = await emulator();
    const id = await create(url);
    const ids = [id, ...Array.from({ length: 49 }, (_, i) => `task-unified-1700000000-${i}`)];
    const answer = await batch(url, { task_ids: ids });
    expect(answer.status).toBe(200);
    expect((answer.body as unknown as { data: unknown[] }).data).toHaveLength(1);
  });

  it.each<[string, unknown]>([
    ["51 ids", { task_ids: Array.from({ length: 51 }, (_, i) => `task-unified-1700000000-${i}`) }],
    ["no ids", { task_ids: [] }],
    ["no task_ids field", { ids: ["task-unified-1"] }],
    ["a non-string id", { task_ids: [42] }],
    ["an empty id", { task_ids: [""] }],
  ])("refuses %s: 400 invalid_parameter naming task_ids", async (_, body) => {
    const { url } = await emulator();
    const answer = await batch(url, body);
    expect(answer.status).toBe(400);
    expectApiError(answer.body, "invalid_parameter", "task_ids");
  });

  it("refuses malformed JSON with 400 invalid_request", async () => {
    const { url } = await emulator();
    const answer = await batch(url, "{not json");
    expect(answer.status).toBe(400);
    expectApiError(answer.body, "invalid_request");
  });

  it("needs the bearer token, and only POST", async () => {
    const { url } = await emulator();
    expect((await batch(url, { task_ids: ["task-unified-1"] }, null)).status).toBe(401);
    const get = await call(url, "/v1/tasks/batch");
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });

  it("counts batch reads and single reads separately in stats()", async () => {
    const emu = await emulator();
    const id = await create(emu.url);
    await batch(emu.url, { task_ids: [id] });
    await batch(emu.url, { task_ids: [id] });
    await call(emu.url, `/v1/tasks/${id}`);
    expect(emu.stats()).toMatchObject({ batchReads: 2, taskReads: 1 });
  });
});
