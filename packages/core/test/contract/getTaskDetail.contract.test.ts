import { describe, expect, inject, it } from "vitest";
import { createVideoRetalk, NotFoundError } from "../../src/index.js";

const baseUrl = inject("prismUrl");

describe("getTaskDetail against Prism", () => {
  it("reads the completed example", async () => {
    const client = createVideoRetalk({ apiKey: "sk-contract-0001", baseUrl });
    const task = await client.tasks.get("task-unified-1775200000-done0001", {
      headers: { Prefer: "example=completed" },
    });
    expect(task.status).toBe("completed");
    expect(task.results?.[0]).toMatch(/^https:\/\//);
  });

  it("maps 404 to NotFoundError", async () => {
    const client = createVideoRetalk({ apiKey: "sk-contract-0001", baseUrl });
    await expect(client.tasks.get("task-unified-x", { headers: { Prefer: "code=404" } })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
