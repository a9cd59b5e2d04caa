/**
 * OpenTelemetry spans of the polling package (issue 12): `waitForTask` is one
 * `videoretalk.wait` span around the client's own read spans, and `downloadResult` one
 * `videoretalk.download` span whose `url.full` drops the signed query. Nothing is recorded
 * without a registered tracer provider. Spans come from the SDK's InMemorySpanExporter.
 */
import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { type Task, traceCall } from "@videoretalk/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAndWait } from "../../src/create-and-wait.js";
import { downloadResult } from "../../src/download/download-result.js";
import { TaskFailedError } from "../../src/errors.js";
import { waitForTask } from "../../src/wait-for-task.js";
import { makePayload, type ResultServer, serveBytes, startResultServer } from "../download/result-server.js";
import { ok, settle, setup, TASK_ID, task } from "./harness.js";

let exporter: InMemorySpanExporter;
let server: ResultServer | undefined;

beforeEach(async () => {
  exporter = new InMemorySpanExporter();
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  // The span code is loaded with import() on the first traced call; load it before any
  // fake-clock run so that real module I/O does not race the fake timers.
  await traceCall("warm-up", {}, async () => {});
  exporter.reset();
});

afterEach(async () => {
  trace.disable();
  await server?.close();
  server = undefined;
});

describe("waitForTask spans", () => {
  it("wraps the reads in one videoretalk.wait span with the task id", async () => {
    const { client, clock } = setup([ok(task("processing", 40)), ok(task("completed", 100))]);
    await clock.runUntilSettled(waitForTask(client, TASK_ID, { clock, random: () => 0.5 }));
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual([
      "GET /v1/tasks/{task_id}",
      "GET /v1/tasks/{task_id}",
      "videoretalk.wait",
    ]);
    expect(spans[2]?.attributes).toMatchObject({ "videoretalk.task.id": TASK_ID });
    expect(spans[2]?.attributes["error.type"]).toBeUndefined();
    expect(spans[2]?.status.code).not.toBe(2);
  });

  it("createAndWait: the create span, then the reads, inside one videoretalk.wait span", async () => {
    const { client, clock } = setup([ok(task("pending", 0)), ok(task("completed", 100))]);
    const params = { video_url: "https://example.com/speaker.mp4", audio_url: "https://example.com/speech.wav" };
    await clock.runUntilSettled(createAndWait(client, params, { clock, random: () => 0.5 }));
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual([
      "POST /v1/videos/generations",
      "GET /v1/tasks/{task_id}",
      "videoretalk.wait",
    ]);
    expect(spans[0]?.attributes["videoretalk.task.id"]).toBe(TASK_ID);
    expect(spans[2]?.attributes["videoretalk.task.id"]).toBe(TASK_ID);
  });

  it("records a failed task as error.type TaskFailedError", async () => {
    const failed = task("failed", 100, { error: { code: "face_not_found", message: "no face" } } as Partial<Task>);
    const { client, clock } = setup([ok(failed)]);
    const { error } = await clock.runUntilSettled(settle(waitForTask(client, TASK_ID, { clock })));
    expect(error).toBeInstanceOf(TaskFailedError);
    const wait = exporter.getFinishedSpans().find((span) => span.name === "videoretalk.wait");
    expect(wait?.attributes["error.type"]).toBe("TaskFailedError");
    expect(wait?.status.code).toBe(2);
  });

  it("records nothing when no tracer provider is registered", async () => {
    trace.disable();
    const { client, clock } = setup([ok(task("completed", 100))]);
    await clock.runUntilSettled(waitForTask(client, TASK_ID, { clock }));
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});

describe("downloadResult spans", () => {
  it("is one videoretalk.download span: url.full without the signed query, bytes, task id", async () => {
    const payload = makePayload(64 * 1024);
    server = await startResultServer(serveBytes(payload));
    const url = `${server.url}/results/out.mp4?X-Amz-Signature=signed-secret`;
    const done: Task = { id: TASK_ID, status: "completed", created: 1756817821, results: [url] };
    const chunks: Uint8Array[] = [];
    const result = await downloadResult(done, new WritableStream({ write: (chunk) => void chunks.push(chunk) }), {
      allowPrivateNetwork: true,
    });
    expect(result.bytes).toBe(payload.length);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe("videoretalk.download");
    expect(span?.attributes).toMatchObject({
      "url.full": `${server.url}/results/out.mp4`,
      "server.address": "127.0.0.1",
      "videoretalk.task.id": TASK_ID,
      "videoretalk.download.bytes": payload.length,
      "videoretalk.download.resumes": 0,
    });
    expect(JSON.stringify(span?.attributes)).not.toContain("signed-secret");
  });

  it("records the HTTP status and error type of a failed download", async () => {
    server = await startResultServer((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    const { error } = await settle(
      downloadResult(`${server.url}/gone.mp4`, new WritableStream(), { allowPrivateNetwork: true }),
    );
    expect(error).toBeInstanceOf(Error);
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes).toMatchObject({
      "http.response.status_code": 404,
      "error.type": (error as Error).name,
    });
  });
});
