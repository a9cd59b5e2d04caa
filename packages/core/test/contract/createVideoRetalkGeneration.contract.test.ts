/**
 * Contract of `POST /v1/videos/generations` (operationId createVideoRetalkGeneration) through
 * `client.lipSync.create`, against Prism started from spec/. The request examples, response
 * examples and error statuses all come from the spec.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type APIError,
  type CreatedTask,
  type components,
  FACE_THRESHOLD_RANGE,
  IDEMPOTENCY_KEY_PATTERN,
  type LipSyncParams,
} from "../../src/index.js";
import { MAX_CALLBACK_URL_LENGTH } from "../../src/validation.js";
import {
  API_KEY,
  contractClient,
  createRecorder,
  errorExample,
  errorStatuses,
  expectDocumentedError,
  expectedErrorClass,
  findOperation,
  headerParameter,
  isMissingSecurityViolation,
  prefer,
  rejection,
  requestExamples,
  responseExample,
  responseExamples,
  spec,
  successStatuses,
  useOnSpecRecorder,
} from "./spec-helpers.js";

const { operation, path, method } = findOperation("createVideoRetalkGeneration");
const bodyExamples = Object.entries(requestExamples(operation));
const createdExamples = Object.entries(responseExamples(operation, 200));
const statuses = errorStatuses(operation);
const idempotencyKeyParameter = headerParameter(operation, "Idempotency-Key");
const idempotencyKeyPattern = new RegExp(String(idempotencyKeyParameter.schema?.pattern));
const requestSchema = spec.components?.schemas?.VideoRetalkRequest;

/** The first request example, without `model` (the client adds it). */
function minimalParams(): LipSyncParams {
  const [, value] = bodyExamples[0] ?? [];
  const { model: _model, ...params } = value as LipSyncParams;
  return params;
}

function sentBody(body: unknown): unknown {
  expect(typeof body, "the SDK sends the JSON body as a string").toBe("string");
  return JSON.parse(body as string);
}

describe("createVideoRetalkGeneration: what the spec documents", () => {
  it("is POST /v1/videos/generations with request examples, a 200 and error statuses", () => {
    expect([method, path]).toEqual(["post", "/v1/videos/generations"]);
    expect(bodyExamples.map(([name]) => name)).toEqual(
      expect.arrayContaining(["minimal", "multi_face", "adjust_threshold"]),
    );
    expect(successStatuses(operation)).toEqual([200]);
    expect(statuses.length).toBeGreaterThan(0);
    for (const status of statuses) expect(() => expectedErrorClass(status)).not.toThrow();
  });

  it("agrees with the client-side limits core enforces before sending", () => {
    expect(IDEMPOTENCY_KEY_PATTERN.source).toBe(idempotencyKeyParameter.schema?.pattern);
    const threshold = requestSchema?.properties?.query_face_threshold;
    expect({ min: threshold?.minimum, max: threshold?.maximum }).toEqual(FACE_THRESHOLD_RANGE);
    expect(requestSchema?.properties?.callback_url?.maxLength).toBe(MAX_CALLBACK_URL_LENGTH);
    expect(requestSchema?.properties?.model?.enum).toEqual(["videoretalk"]);
  });
});

describe("createVideoRetalkGeneration against Prism", () => {
  const recorder = useOnSpecRecorder();

  it.each(bodyExamples)(
    "sends the %s request example (model added by the client) and parses the task",
    async (_name, value) => {
      const example = value as components["schemas"]["VideoRetalkRequest"];
      expect(example.model, "every request example names the model").toBe("videoretalk");
      const { model: _model, ...params } = example;

      const client = contractClient(recorder);
      const task = await client.lipSync.create(params);
      expectTypeOf(task).toEqualTypeOf<CreatedTask>();
      expect(task).toEqual(responseExample(operation, 200));

      const exchange = recorder.only();
      expect(exchange.method).toBe("POST");
      expect(exchange.url).toBe(`${client.baseUrl}${path}`);
      expect(sentBody(exchange.requestBody)).toEqual(example);
      expect(exchange.requestHeaders.get("content-type")).toBe("application/json");
      expect(exchange.requestHeaders.get("authorization")).toBe(`Bearer ${API_KEY}`);
    },
  );

  it.each(createdExamples)("parses the %s response example into the typed task", async (name, value) => {
    const client = contractClient(recorder);
    const task: CreatedTask = await client.lipSync.create(minimalParams(), { headers: prefer.example(name) });
    expect(task).toEqual(value);
  });

  it("generates an Idempotency-Key that passes Prism's header validation", async () => {
    const client = contractClient(recorder);
    await client.lipSync.create(minimalParams());
    await client.lipSync.create(minimalParams());

    const keys = recorder.exchanges.map((exchange) => exchange.requestHeaders.get("idempotency-key"));
    for (const key of keys) expect(key).toMatch(idempotencyKeyPattern);
    expect(new Set(keys).size, "each call gets its own key").toBe(2);
    // useOnSpecRecorder then checks that Prism raised no sl-violations for either header.
  });

  it("sends a caller-supplied Idempotency-Key (the spec's example) unchanged", async () => {
    const client = contractClient(recorder);
    const key = String(idempotencyKeyParameter.example);
    await client.lipSync.create(minimalParams(), { idempotencyKey: key });
    expect(recorder.only().requestHeaders.get("idempotency-key")).toBe(key);
  });

  it.each(statuses)(
    "maps a documented %i to its error class with the spec's code, type, param and message",
    async (status) => {
      const client = contractClient(recorder, { maxRetries: 0 });
      const error = await rejection(client.lipSync.create(minimalParams(), { headers: prefer.code(status) }));
      const apiError = expectDocumentedError(error, operation, status);

      // Every create error carries, as an own property, the key the request was sent with.
      const exchange = recorder.only();
      expect(exchange.status).toBe(status);
      expect(Object.hasOwn(apiError, "idempotencyKey")).toBe(true);
      expect(apiError.idempotencyKey).toBe(exchange.requestHeaders.get("idempotency-key"));
    },
  );
});

describe("createVideoRetalkGeneration security and request validation", () => {
  it("answers 401 without a key: an apiKey: null client gets AuthenticationError", async () => {
    const recorder = createRecorder();
    const client = contractClient(recorder, { apiKey: null, maxRetries: 0 });
    const error = await rejection(client.lipSync.create(minimalParams()));

    expect(error).toBeInstanceOf(expectedErrorClass(401));
    const { body } = errorExample(operation, 401);
    expect((error as APIError).body).toEqual(body);

    const exchange = recorder.only();
    expect(exchange.requestHeaders.has("authorization")).toBe(false);
    expect(exchange.violations?.length).toBeGreaterThan(0);
    expect(exchange.violations?.every(isMissingSecurityViolation)).toBe(true);
  });

  it("negative control: an off-spec body sent through client.raw is flagged by Prism, and the recorder catches it", async () => {
    const recorder = createRecorder();
    const client = contractClient(recorder, { maxRetries: 0 });
    const offSpec = { ...minimalParams(), model: "videoretalk" as const, query_face_threshold: 999 };

    const { data, error, response } = await client.raw.POST("/v1/videos/generations", { body: offSpec });
    expect(data).toBeUndefined();
    // Prism answers an invalid request with the spec's own 400 example…
    expect(response.status).toBe(400);
    expect(error).toEqual(errorExample(operation, 400).body);
    // …and lists the real problems in sl-violations, which the recorder turns into a failure.
    const violations = recorder.only().violations ?? [];
    expect(violations).toContainEqual(
      expect.objectContaining({ location: ["request", "body", "query_face_threshold"], code: "maximum" }),
    );
    expect(() => recorder.assertOnSpec()).toThrow(/query_face_threshold/);
  });

  it("negative control: the same body is on-spec with an in-range threshold", async () => {
    const recorder = createRecorder();
    const client = contractClient(recorder, { maxRetries: 0 });
    const body = { ...minimalParams(), model: "videoretalk" as const, query_face_threshold: 200 };
    const { data, response } = await client.raw.POST("/v1/videos/generations", { body });
    expect(response.status).toBe(200);
    expect(data).toEqual(responseExample(operation, 200));
    expect(recorder.only().requestHeaders.get("idempotency-key")).toMatch(idempotencyKeyPattern);
    recorder.assertOnSpec();
  });
});
