import { describe, expect, it } from "vitest";
import { expandPath, OPERATIONS } from "../../src/operations.js";

describe("operation declarations", () => {
  it("declare each operation's retry policy: only the create is retried as a create", () => {
    expect(
      Object.fromEntries(Object.entries(OPERATIONS).map(([id, op]) => [id, [op.method, op.path, op.retry]])),
    ).toEqual({
      createVideoRetalkGeneration: ["post", "/v1/videos/generations", "create"],
      getTaskDetail: ["get", "/v1/tasks/{task_id}", "read"],
      batchGetTasks: ["post", "/v1/tasks/batch", "read"],
      getCredits: ["get", "/v1/credits", "read"],
    });
  });

  it("expandPath percent-encodes each path parameter into one segment", () => {
    expect(expandPath("/v1/tasks/{task_id}", { task_id: "a/b c?d#e" })).toBe("/v1/tasks/a%2Fb%20c%3Fd%23e");
    expect(expandPath("/v1/credits", undefined)).toBe("/v1/credits");
  });

  it("expandPath refuses a missing path parameter instead of sending a literal {name}", () => {
    expect(() => expandPath("/v1/tasks/{task_id}", {})).toThrow(/Missing path parameter task_id/);
  });
});
