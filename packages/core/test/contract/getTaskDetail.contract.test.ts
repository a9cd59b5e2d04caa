/**
 * Contract of `GET /v1/tasks/{task_id}` (operationId getTaskDetail) through `client.tasks.get`,
 * against Prism started from spec/. Every case is generated from the spec: a named example or an
 * error status added there is covered without touching this file.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { APIError, isTerminalStatus, TASK_STATUS_PHASE, type Task } from "../../src/index.js";
import {
  API_KEY,
  contractClient,
  createRecorder,
  errorExample,
  errorStatuses,
  expectDocumentedError,
  expectedErrorClass,
  findOperation,
  isMissingSecurityViolation,
  prefer,
  rejection,
  responseExamples,
  spec,
  successStatuses,
  useOnSpecRecorder,
} from "./spec-helpers.js";

const { operation, path, method } = findOperation("getTaskDetail");
const examples = Object.entries(responseExamples(operation, 200));
const statuses = errorStatuses(operation);
const taskIdParameter = operation.parameters?.find(
  (parameter) => parameter.in === "path" && parameter.name === "task_id",
);
const sampleTaskId = String(taskIdParameter?.example ?? "task-unified-1756817821-4x3rx6ny");

describe("getTaskDetail: what the spec documents", () => {
  it("is GET /v1/tasks/{task_id}, with a 200 and error statuses", () => {
    expect([method, path]).toEqual(["get", "/v1/tasks/{task_id}"]);
    expect(successStatuses(operation)).toEqual([200]);
    expect(statuses.length).toBeGreaterThan(0);
  });

  it("has a named 200 example for every task status, and core knows every status", () => {
    const statusEnum = spec.components?.schemas?.TaskStatus?.enum as string[];
    const exampleStatuses = examples.map(([, value]) => (value as { status: string }).status);
    expect([...new Set(exampleStatuses)].sort()).toEqual([...statusEnum].sort());
    expect(Object.keys(TASK_STATUS_PHASE).sort()).toEqual([...statusEnum].sort());
  });

  it("has an expected error class for every documented error status", () => {
    for (const status of statuses) expect(() => expectedErrorClass(status)).not.toThrow();
  });
});

describe("getTaskDetail against Prism", () => {
  const recorder = useOnSpecRecorder();

  it.each(examples)("returns the %s example exactly as documented", async (name, value) => {
    const client = contractClient(recorder);
    const id = (value as { id: string }).id;
    const task = await client.tasks.get(id, { headers: prefer.example(name) });
    expectTypeOf(task).toEqualTypeOf<Task>();
    expect(task).toEqual(value);
    expect(isTerminalStatus(task.status)).toBe(TASK_STATUS_PHASE[task.status] === "terminal");

    const exchange = recorder.only();
    expect(exchange.method).toBe("GET");
    expect(exchange.url).toBe(`${client.baseUrl}/v1/tasks/${id}`);
    expect(exchange.requestHeaders.get("authorization")).toBe(`Bearer ${API_KEY}`);
  });

  it.each(statuses)(
    "maps a documented %i to its error class with the spec's code, type, param and message",
    async (status) => {
      const client = contractClient(recorder, { maxRetries: 0 });
      const error = await rejection(client.tasks.get(sampleTaskId, { headers: prefer.code(status) }));
      const apiError = expectDocumentedError(error, operation, status);
      expect(apiError.taskId).toBe(sampleTaskId);

      // maxRetries: 0 — one request, even for statuses a read would retry (429, 5xx).
      expect(recorder.only().status).toBe(status);
    },
  );

  it("percent-encodes the task id so that it stays one path segment", async () => {
    const client = contractClient(recorder);
    const id = "task-unified-a/b c?d#e";
    const [, completed] = examples.find(([name]) => name === "completed") ?? examples[0] ?? [];
    const task = await client.tasks.get(id, { headers: prefer.example("completed") });
    expect(task).toEqual(completed);
    expect(recorder.only().url).toBe(`${client.baseUrl}/v1/tasks/${encodeURIComponent(id)}`);
  });

  it("reads the first documented example when no Prefer header is sent", async () => {
    const client = contractClient(recorder);
    const [, first] = examples[0] ?? [];
    await expect(client.tasks.get(sampleTaskId)).resolves.toEqual(first);
  });
});

describe("getTaskDetail security", () => {
  it("answers 401 without a key: an apiKey: null client gets AuthenticationError", async () => {
    const recorder = createRecorder();
    const client = contractClient(recorder, { apiKey: null, maxRetries: 0 });
    const error = await rejection(client.tasks.get(sampleTaskId));

    expect(error).toBeInstanceOf(expectedErrorClass(401));
    expect(error).toBeInstanceOf(APIError);
    const { body, error: documented } = errorExample(operation, 401);
    expect((error as APIError).code).toBe(documented.code);
    expect((error as APIError).body).toEqual(body);

    const exchange = recorder.only();
    expect(exchange.requestHeaders.has("authorization")).toBe(false);
    // The only thing Prism objects to is the missing bearer token.
    expect(exchange.violations?.length).toBeGreaterThan(0);
    expect(exchange.violations?.every(isMissingSecurityViolation)).toBe(true);
  });
});
