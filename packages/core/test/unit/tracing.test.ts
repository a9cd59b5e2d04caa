/**
 * OpenTelemetry tracing (issue 12): with a tracer provider registered through
 * `@opentelemetry/api`, every API call is a CLIENT span with the HTTP semantic-convention
 * attributes, the task id, the attempt count and one event per retry; without one (or with
 * `tracerProvider: false`) nothing is recorded; and the API key never reaches a span.
 * Spans are collected with the OpenTelemetry SDK's InMemorySpanExporter.
 */
import { trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { jsonResponse, networkError } from "@videoretalk/test-support";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { APIConnectionError, NotFoundError, traceCall } from "../../src/index.js";
import { API_KEY, BASE_URL, PARAMS, rejection, setup, TASK_ID, taskBody } from "./harness.js";

const SPAN_KIND_CLIENT = 2;
const SPAN_KIND_INTERNAL = 0;
const STATUS_ERROR = 2;

let exporter: InMemorySpanExporter;
let provider: BasicTracerProvider;

/** Everything a span carries that an exporter would send, as one string. */
function exported(span: ReadableSpan): string {
  return JSON.stringify({
    name: span.name,
    attributes: span.attributes,
    events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
    status: span.status,
  });
}

function finished(): ReadableSpan[] {
  return exporter.getFinishedSpans();
}

beforeAll(async () => {
  // The span code is loaded with import() on the first traced call; load it before the
  // fake-clock runs so that real module I/O does not race the fake timers.
  await import("../../src/tracing/spans.js");
});

beforeEach(() => {
  exporter = new InMemorySpanExporter();
  provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
});

afterEach(() => {
  trace.disable();
});

describe("without a registered tracer provider", () => {
  it("records nothing, and calls work as usual", async () => {
    const { client, script } = setup([jsonResponse(200, taskBody()), jsonResponse(200, taskBody())]);
    await client.lipSync.create(PARAMS);
    await client.tasks.get(TASK_ID);
    expect(script.calls).toHaveLength(2);
    expect(finished()).toHaveLength(0);
  });

  it("records nothing with tracerProvider: false, even when one is registered", async () => {
    trace.setGlobalTracerProvider(provider);
    const { client } = setup([jsonResponse(200, taskBody())], { tracerProvider: false });
    await client.tasks.get(TASK_ID);
    expect(finished()).toHaveLength(0);
  });
});

describe("with a tracer provider registered through @opentelemetry/api", () => {
  beforeEach(() => {
    trace.setGlobalTracerProvider(provider);
  });

  it("lipSync.create is a CLIENT span with the HTTP attributes and the new task's id", async () => {
    const { client } = setup([jsonResponse(200, taskBody({ id: "task-unified-new-1" }))]);
    await client.lipSync.create(PARAMS);
    const [span] = finished();
    expect(span?.name).toBe("POST /v1/videos/generations");
    expect(span?.kind).toBe(SPAN_KIND_CLIENT);
    expect(span?.attributes).toMatchObject({
      "http.request.method": "POST",
      "http.route": "/v1/videos/generations",
      "url.full": `${BASE_URL}/v1/videos/generations`,
      "server.address": new URL(BASE_URL).hostname,
      "server.port": 443,
      "http.response.status_code": 200,
      "videoretalk.task.id": "task-unified-new-1",
      "videoretalk.attempts": 1,
    });
    expect(span?.attributes["error.type"]).toBeUndefined();
    expect(span?.attributes["http.request.resend_count"]).toBeUndefined();
    expect(span?.status.code).not.toBe(STATUS_ERROR);
  });

  it("tasks.get retried after a 503 records the retry reason, the attempt and the resend count", async () => {
    const { client, clock } = setup([
      jsonResponse(503, { error: { message: "busy" } }),
      jsonResponse(200, taskBody({ status: "processing" })),
    ]);
    await clock.runUntilSettled(client.tasks.get(TASK_ID));
    const [span] = finished();
    expect(span?.name).toBe("GET /v1/tasks/{task_id}");
    expect(span?.attributes).toMatchObject({
      "http.request.method": "GET",
      "url.full": `${BASE_URL}/v1/tasks/${TASK_ID}`,
      "http.response.status_code": 200,
      "videoretalk.task.id": TASK_ID,
      "videoretalk.attempts": 2,
      "http.request.resend_count": 1,
    });
    expect(span?.events.map((event) => [event.name, event.attributes])).toEqual([
      [
        "videoretalk.retry",
        {
          "videoretalk.retry.attempt": 1,
          "videoretalk.retry.reason": "HTTP 503",
          "videoretalk.retry.delay_ms": expect.any(Number),
        },
      ],
    ]);
  });

  it("an HTTP error ends the span with error.type set to the status and an error status", async () => {
    const { client } = setup([jsonResponse(404, { error: { code: "task_not_found", message: "nope" } })]);
    expect(await rejection(client.tasks.get(TASK_ID))).toBeInstanceOf(NotFoundError);
    const [span] = finished();
    expect(span?.attributes).toMatchObject({ "http.response.status_code": 404, "error.type": "404" });
    expect(span?.status.code).toBe(STATUS_ERROR);
  });

  it("a connection failure ends the span with the error class as error.type", async () => {
    const { client } = setup([networkError("ECONNREFUSED")], { maxRetries: 0 });
    expect(await rejection(client.tasks.get(TASK_ID))).toBeInstanceOf(APIConnectionError);
    const [span] = finished();
    expect(span?.attributes["error.type"]).toBe("APIConnectionError");
    expect(span?.attributes["http.response.status_code"]).toBeUndefined();
    expect(span?.status.code).toBe(STATUS_ERROR);
  });

  it("getMany, credits and files.upload are traced too", async () => {
    const { client } = setup(
      [
        jsonResponse(200, { data: [taskBody()] }),
        jsonResponse(200, { success: true, data: { user: { remaining_credits: 5 } } }),
        jsonResponse(200, { success: true, data: { file_url: "https://files.example.com/a.wav" } }),
      ],
      { filesBaseUrl: "https://files.example.test:8443" },
    );
    await client.tasks.getMany([TASK_ID]);
    await client.credits.get();
    await client.files.upload(new Blob([new Uint8Array(4)]), { fileName: "a.wav" });
    expect(finished().map((span) => span.name)).toEqual([
      "POST /v1/tasks/batch",
      "GET /v1/credits",
      "POST /api/v1/files/upload/stream",
    ]);
    expect(finished()[2]?.attributes).toMatchObject({
      "url.full": "https://files.example.test:8443/api/v1/files/upload/stream",
      "server.address": "files.example.test",
      "server.port": 8443,
      "http.response.status_code": 200,
    });
  });

  it("never puts the API key in a span, even when the server echoes it everywhere", async () => {
    const echo = `Invalid key ${API_KEY}`;
    const { client } = setup(
      [
        jsonResponse(401, { error: { code: "invalid_api_key", message: echo } }, { "x-request-id": API_KEY }),
        () => networkError(`ECONNRESET ${API_KEY}`),
        jsonResponse(200, taskBody({ id: API_KEY })),
      ],
      { maxRetries: 0 },
    );
    await rejection(client.tasks.get(TASK_ID));
    await rejection(client.tasks.get(TASK_ID));
    await client.lipSync.create(PARAMS);
    await traceCall(
      "videoretalk.wait",
      { "videoretalk.task.id": TASK_ID },
      async (span) => {
        span?.setAttribute("note", echo);
        span?.addEvent("poll", { note: echo });
      },
      undefined,
      [API_KEY],
    );
    expect(finished()).toHaveLength(4);
    for (const span of finished()) expect(exported(span)).not.toContain(API_KEY);
    // The values are kept, with the key cut out: the created task's id, the note.
    expect(finished()[2]?.attributes["videoretalk.task.id"]).toBe("[redacted]");
    expect(finished()[3]?.attributes.note).toBe("Invalid key [redacted]");
    expect(finished()[3]?.events[0]?.attributes?.note).toBe("Invalid key [redacted]");
  });

  it("uses an explicit tracerProvider instead of the global one", async () => {
    trace.disable();
    const { client } = setup([jsonResponse(200, taskBody())], { tracerProvider: provider });
    await client.tasks.get(TASK_ID);
    expect(finished().map((span) => span.name)).toEqual(["GET /v1/tasks/{task_id}"]);
  });
});

describe("a broken tracer provider", () => {
  const throwing = () => {
    throw new Error("exporter down");
  };
  const brokenSpans = {
    getTracer: () => ({
      startSpan: () => ({ setAttribute: throwing, addEvent: throwing, setStatus: throwing, end: throwing }),
    }),
  };
  const brokenTracer = { getTracer: throwing };

  it("never fails a call: spans that throw, or a provider that throws, leave it untraced", async () => {
    for (const tracerProvider of [brokenSpans, brokenTracer]) {
      const { client } = setup([jsonResponse(200, taskBody({ status: "processing" }))], { tracerProvider });
      expect((await client.tasks.get(TASK_ID)).status).toBe("processing");
    }
  });

  it("never fails traced work run through traceCall", async () => {
    for (const provider of [brokenSpans, brokenTracer]) {
      const value = await traceCall(
        "videoretalk.wait",
        { "videoretalk.task.id": TASK_ID },
        async (span) => {
          span?.setAttribute("a", 1);
          return "done";
        },
        provider,
      );
      expect(value).toBe("done");
    }
  });
});

describe("traceCall (for the SDK's other packages)", () => {
  it("runs the function in an INTERNAL span, strips the query from url.full, records a thrown error", async () => {
    trace.setGlobalTracerProvider(provider);
    const failure = new Error("gone");
    const result = await traceCall(
      "videoretalk.download",
      {
        "url.full": "https://cdn.example.com/r/out.mp4?X-Amz-Signature=secret-token#frag",
        "videoretalk.task.id": TASK_ID,
      },
      async () => {
        throw failure;
      },
    ).catch((error: unknown) => error);
    expect(result).toBe(failure);
    const [span] = finished();
    expect(span?.kind).toBe(SPAN_KIND_INTERNAL);
    expect(span?.attributes).toMatchObject({
      "url.full": "https://cdn.example.com/r/out.mp4",
      "server.address": "cdn.example.com",
      "server.port": 443,
      "videoretalk.task.id": TASK_ID,
      "error.type": "Error",
    });
    expect(exported(span as ReadableSpan)).not.toContain("secret-token");
    expect(span?.status).toMatchObject({ code: STATUS_ERROR, message: "gone" });
  });

  it("just runs the function, with no span, when nothing is registered", async () => {
    let seen: unknown = "not called";
    await traceCall("videoretalk.wait", {}, async (span) => {
      seen = span;
    });
    expect(seen).toBeUndefined();
    expect(finished()).toHaveLength(0);
  });
});
