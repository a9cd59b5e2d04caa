/**
 * Contract of `GET /v1/credits` (operationId getCredits) through `client.credits.get`, against
 * Prism started from spec/. Cases come from the spec's own examples and error statuses.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type { Credits } from "../../src/index.js";
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
  responseExamples,
  successStatuses,
  useOnSpecRecorder,
} from "./spec-helpers.js";

const { operation, path, method } = findOperation("getCredits");
const examples = Object.entries(responseExamples(operation, 200));
const statuses = errorStatuses(operation);

describe("getCredits: what the spec documents", () => {
  it("is GET /v1/credits, with a 200 and 401/429/500", () => {
    expect([method, path]).toEqual(["get", "/v1/credits"]);
    expect(successStatuses(operation)).toEqual([200]);
    expect(statuses).toEqual([401, 429, 500]);
  });
});

describe("getCredits against Prism", () => {
  const recorder = useOnSpecRecorder();

  it.each(examples)("returns the data of the %s example exactly as documented", async (name, value) => {
    const client = contractClient(recorder);
    const credits = await client.credits.get({ headers: prefer.example(name) });
    expectTypeOf(credits).toEqualTypeOf<Credits>();
    expect(credits).toEqual((value as { data: Credits }).data);

    const exchange = recorder.only();
    expect(exchange.method).toBe("GET");
    expect(exchange.url).toBe(`${client.baseUrl}/v1/credits`);
    expect(exchange.requestHeaders.get("authorization")).toBe(`Bearer ${API_KEY}`);
  });

  it.each(statuses)(
    "maps a documented %i to its error class with the spec's code, type and message",
    async (status) => {
      const client = contractClient(recorder, { maxRetries: 0 });
      const error = await rejection(client.credits.get({ headers: prefer.code(status) }));
      expectDocumentedError(error, operation, status);
      expect(recorder.only().status).toBe(status);
    },
  );
});

describe("getCredits security", () => {
  it("answers 401 without a key: an apiKey: null client gets AuthenticationError", async () => {
    const recorder = createRecorder();
    const client = contractClient(recorder, { apiKey: null, maxRetries: 0 });
    const error = await rejection(client.credits.get());
    expect(error).toBeInstanceOf(expectedErrorClass(401));
    const exchange = recorder.only();
    expect(exchange.requestHeaders.has("authorization")).toBe(false);
    expect(exchange.violations?.every(isMissingSecurityViolation)).toBe(true);
  });
});
