/**
 * Contract of `POST /v1/tasks/batch` (operationId batchGetTasks) through `client.tasks.getMany`,
 * against Prism started from spec/. Cases come from the spec's own examples and error statuses.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { MAX_BATCH_TASK_IDS, type Task } from "../../src/index.js";
import {
  API_KEY,
  contractClient,
  createRecorder,
  errorStatuses,
  expectDocumentedError,
  expectedErrorClass,
  findOperation,
  isMissingSecurityViolation,
  prefer,
  rejection,
  requestExamples,
  responseExamples,
  type SchemaObject,
  successStatuses,
  useOnSpecRecorder,
} from "./spec-helpers.js";

const { operation, path, method } = findOperation("batchGetTasks");
const examples = Object.entries(responseExamples(operation, 200));
const statuses = errorStatuses(operation);
const [, sampleBody] = Object.entries(requestExamples(operation))[0] ?? [];
const sampleIds = (sampleBody as { task_ids: string[] }).task_ids;

describe("batchGetTasks: what the spec documents", () => {
  it("is POST /v1/tasks/batch, marked as undocumented by Evolink, with a 200 and error statuses", () => {
    expect([method, path]).toEqual(["post", "/v1/tasks/batch"]);
    expect((operation as { "x-undocumented"?: boolean })["x-undocumented"]).toBe(true);
    expect(successStatuses(operation)).toEqual([200]);
    expect(statuses.length).toBeGreaterThan(0);
  });

  it("takes 1 to MAX_BATCH_TASK_IDS ids, as core checks", () => {
    const schema = operation.requestBody?.content["application/json"]?.schema as SchemaObject;
    const taskIds = schema.properties?.task_ids as SchemaObject;
    expect([taskIds.minItems, taskIds.maxItems]).toEqual([1, MAX_BATCH_TASK_IDS]);
    expect(schema.required).toEqual(["task_ids"]);
  });

  it("has an expected error class for every documented error status", () => {
    for (const status of statuses) expect(() => expectedErrorClass(status)).not.toThrow();
  });
});

describe("batchGetTasks against Prism", () => {
  const recorder = useOnSpecRecorder();

  it.each(examples)("returns the tasks of the %s example exactly as documented", async (name, value) => {
    const client = contractClient(recorder);
    const tasks = await client.tasks.getMany(sampleIds, { headers: prefer.example(name) });
    expectTypeOf(tasks).toEqualTypeOf<Task[]>();
    expect(tasks).toEqual((value as { data: Task[] }).data);

    const exchange = recorder.only();
    expect(exchange.method).toBe("POST");
    expect(exchange.url).toBe(`${client.baseUrl}/v1/tasks/batch`);
    expect(JSON.parse(String(exchange.requestBody))).toEqual({ task_ids: sampleIds });
    expect(exchange.requestHeaders.get("authorization")).toBe(`Bearer ${API_KEY}`);
    expect(exchange.requestHeaders.has("idempotency-key")).toBe(false);
  });

  it.each(statuses)(
    "maps a documented %i to its error class with the spec's code, type and message",
    async (status) => {
      const client = contractClient(recorder, { maxRetries: 0 });
      const error = await rejection(client.tasks.getMany(sampleIds, { headers: prefer.code(status) }));
      expectDocumentedError(error, operation, status);
      expect(recorder.only().status).toBe(status);
    },
  );

  it(`sends ${MAX_BATCH_TASK_IDS} ids on-spec`, async () => {
    const client = contractClient(recorder);
    const ids = Array.from({ length: MAX_BATCH_TASK_IDS }, (_, i) => `task-unified-1775200000-${i}`);
    await client.tasks.getMany(ids);
    expect(JSON.parse(String(recorder.only().requestBody)).task_ids).toHaveLength(MAX_BATCH_TASK_IDS);
  });
});

describe("batchGetTasks security", () => {
  it("answers 401 without a key: an apiKey: null client gets AuthenticationError", async () => {
    const recorder = createRecorder();
    const client = contractClient(recorder, { apiKey: null, maxRetries: 0 });
    const error = await rejection(client.tasks.getMany(sampleIds));
    expect(error).toBeInstanceOf(expectedErrorClass(401));
    const exchange = recorder.only();
    expect(exchange.requestHeaders.has("authorization")).toBe(false);
    expect(exchange.violations?.every(isMissingSecurityViolation)).toBe(true);
  });
});
