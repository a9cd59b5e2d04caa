/**
 * `client.raw` and `files.upload` load their code with `import()` on first use (so bundles of
 * apps that never call them stay small). These tests check that the lazy objects behave like the
 * eager ones did: middleware registered before the first call applies, the chunk is loaded once,
 * and an upload still resolves and fails with the same typed errors.
 */
import { jsonResponse } from "@videoretalk/test-support";
import type { Middleware } from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/index.js";
import { BASE_URL, setup, TASK_ID, taskBody } from "./harness.js";

describe("client.raw (loaded on first call)", () => {
  it("applies middleware registered with use() before the first call, and stops after eject()", async () => {
    const { client, script } = setup([
      jsonResponse(200, taskBody({ status: "processing" })),
      jsonResponse(200, taskBody({ status: "completed" })),
    ]);
    const seen: string[] = [];
    const middleware: Middleware = {
      onRequest({ request }) {
        seen.push(new URL(request.url).pathname);
        request.headers.set("x-trace", "one");
        return request;
      },
    };
    client.raw.use(middleware); // before openapi-fetch is loaded
    const first = await client.raw.GET("/v1/tasks/{task_id}", { params: { path: { task_id: TASK_ID } } });
    expect(first.data).toMatchObject({ id: TASK_ID, status: "processing" });
    expect(script.calls[0]?.headers["x-trace"]).toBe("one");

    client.raw.eject(middleware); // after it is loaded: applied to the real client at once
    const second = await client.raw.GET("/v1/tasks/{task_id}", { params: { path: { task_id: TASK_ID } } });
    expect(second.data).toMatchObject({ status: "completed" });
    expect(script.calls[1]?.headers["x-trace"]).toBeUndefined();
    expect(seen).toEqual([`/v1/tasks/${TASK_ID}`]);
    expect(script.calls.map((call) => call.url)).toEqual([
      `${BASE_URL}/v1/tasks/${TASK_ID}`,
      `${BASE_URL}/v1/tasks/${TASK_ID}`,
    ]);
  });

  it("serves concurrent first calls from one loaded client", async () => {
    const { client, script } = setup([
      jsonResponse(200, taskBody({ id: "task-a" })),
      jsonResponse(200, taskBody({ id: "task-b" })),
    ]);
    const [a, b] = await Promise.all([
      client.raw.GET("/v1/tasks/{task_id}", { params: { path: { task_id: "task-a" } } }),
      client.raw.GET("/v1/tasks/{task_id}", { params: { path: { task_id: "task-b" } } }),
    ]);
    expect([a.response.status, b.response.status]).toEqual([200, 200]);
    expect(script.calls).toHaveLength(2);
  });
});

describe("files.upload (loaded on first call)", () => {
  it("uploads a Blob through the lazily loaded Files code", async () => {
    const { client, script } = setup(
      [jsonResponse(200, { success: true, data: { file_url: "https://files.example.com/a.wav" } })],
      { filesBaseUrl: "https://files.example.test" },
    );
    const url = await client.files.upload(new Blob([new Uint8Array(8)]), { fileName: "a.wav" });
    expect(url).toBe("https://files.example.com/a.wav");
    expect(script.calls[0]?.url).toBe("https://files.example.test/api/v1/files/upload/stream");
  });

  it("still rejects bad input with a ValidationError naming the field, sending nothing", async () => {
    const { client, script } = setup([]);
    const error = await client.files.upload("./speaker.mp4").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("file");
    expect(script.calls).toHaveLength(0);
  });
});
