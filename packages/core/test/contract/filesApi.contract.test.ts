/**
 * Contract of the Files API operations (uploadFileStream, uploadFileBase64, uploadFileUrl,
 * getFilesQuota) through `client.raw`, against Prism started from spec/. In production they live
 * on their own host (a path-level `servers` entry); here a per-request `baseUrl` points them at
 * Prism while the client's own base URL points elsewhere.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APIError, type operations, type paths, type UploadProgress } from "../../src/index.js";
import { createVideoRetalk as createNodeVideoRetalk } from "../../src/index.node.js";
import {
  API_KEY,
  allOperations,
  contractClient,
  createRecorder,
  ERROR_CLASS_BY_STATUS,
  errorStatuses,
  findOperation,
  isMissingSecurityViolation,
  type OperationObject,
  prefer,
  prismUrl,
  rejection,
  responseExample,
  type SchemaObject,
  spec,
  successStatuses,
  useOnSpecRecorder,
} from "./spec-helpers.js";

/** Where the Files API lives in these tests (the spec's files-api host in production). */
const filesBaseUrl = prismUrl;
/**
 * The client's own base URL. It is a path Prism does not serve, so a Files call that ignored the
 * per-request `baseUrl` would get 404 NO_PATH_MATCHED instead of the documented answer.
 */
const clientBaseUrl = `${prismUrl}/not-the-files-api`;

type RawInit = { baseUrl: string; headers?: Record<string, string> };
type RawResult = { data?: unknown; error?: unknown; response: Response };

function jsonSchema(operation: OperationObject, mediaType: string): SchemaObject {
  const schema = operation.requestBody?.content[mediaType]?.schema;
  if (!schema) throw new Error(`${operation.operationId} takes no ${mediaType} body`);
  return schema;
}

/** A JSON body built from the spec: every property that documents an `example` (all required ones must). */
function exampleJsonBody(operationId: string): Record<string, unknown> {
  const schema = jsonSchema(findOperation(operationId).operation, "application/json");
  const body: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (property.example !== undefined) body[name] = property.example;
  }
  for (const name of schema.required ?? []) {
    if (!(name in body)) throw new Error(`${operationId}: required body property ${name} has no example`);
  }
  return body;
}

/** The bytes uploaded by the multipart test (ASCII, so they survive any text round trip). */
const UPLOAD_TEXT = "RIFF fake speaker audio for the contract test";

/** A multipart body built from the spec: a Blob for every binary property, plus the optional names. */
function exampleMultipartBody(operationId: string): FormData {
  const schema = jsonSchema(findOperation(operationId).operation, "multipart/form-data");
  const form = new FormData();
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (property.format === "binary") {
      form.append(name, new Blob([UPLOAD_TEXT], { type: "audio/wav" }), "speaker.wav");
    }
  }
  if (schema.properties?.upload_path) form.append("upload_path", "audio");
  if (schema.properties?.file_name) form.append("file_name", "speaker.wav");
  for (const name of schema.required ?? []) {
    if (!form.has(name)) throw new Error(`${operationId}: cannot build required multipart field ${name}`);
  }
  return form;
}

type StreamBody = operations["uploadFileStream"]["requestBody"]["content"]["multipart/form-data"];
type Base64Body = operations["uploadFileBase64"]["requestBody"]["content"]["application/json"];
type UrlBody = operations["uploadFileUrl"]["requestBody"]["content"]["application/json"];

/** One typed `client.raw` call per Files operation, with a valid body built from the spec. */
const FILES_CALLS: Record<string, (raw: Client<paths>, init: RawInit) => Promise<RawResult>> = {
  uploadFileStream: (raw, init) =>
    raw.POST("/api/v1/files/upload/stream", {
      ...init,
      // openapi-fetch passes a FormData body through untouched (and lets fetch set the boundary).
      body: exampleMultipartBody("uploadFileStream") as unknown as StreamBody,
    }),
  uploadFileBase64: (raw, init) =>
    raw.POST("/api/v1/files/upload/base64", { ...init, body: exampleJsonBody("uploadFileBase64") as Base64Body }),
  uploadFileUrl: (raw, init) =>
    raw.POST("/api/v1/files/upload/url", { ...init, body: exampleJsonBody("uploadFileUrl") as UrlBody }),
  getFilesQuota: (raw, init) => raw.GET("/api/v1/files/quota", init),
};

/** The Files API: every operation whose path has its own `servers`. */
const filesOperations = allOperations().filter((entry) => entry.servers !== undefined);
const successCases = filesOperations.map((entry) => [entry.operation.operationId, entry] as const);
const errorCases = filesOperations.flatMap((entry) =>
  errorStatuses(entry.operation).map((status) => [entry.operation.operationId, status, entry] as const),
);

function call(operationId: string, raw: Client<paths>, init: RawInit): Promise<RawResult> {
  const run = FILES_CALLS[operationId];
  if (!run) throw new Error(`No contract call for Files operation ${operationId}`);
  return run(raw, init);
}

describe("Files API: what the spec documents", () => {
  it("has exactly the four Files operations, each under the files host and tagged Files", () => {
    expect(filesOperations.map((entry) => entry.operation.operationId).sort()).toEqual(
      ["getFilesQuota", "uploadFileBase64", "uploadFileStream", "uploadFileUrl"].sort(),
    );
    expect(Object.keys(FILES_CALLS).sort()).toEqual(filesOperations.map((entry) => entry.operation.operationId).sort());
    const apiServers = (spec.servers ?? []).map((server) => server.url);
    for (const entry of filesOperations) {
      expect(entry.operation.tags).toContain("Files");
      expect(entry.servers?.map((server) => server.url)).toEqual(["https://files-api.evolink.ai"]);
      expect(apiServers).not.toContain(entry.servers?.[0]?.url);
      expect(successStatuses(entry.operation)).toEqual([200]);
    }
  });
});

describe("Files API through client.raw against Prism", () => {
  const recorder = useOnSpecRecorder();

  it.each(successCases)("%s returns the documented 200 example", async (operationId, entry) => {
    const client = contractClient(recorder, { baseUrl: clientBaseUrl });
    const { data, error, response } = await call(operationId, client.raw, { baseUrl: filesBaseUrl });

    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data).toEqual(responseExample(entry.operation, 200));

    const exchange = recorder.only();
    expect(exchange.method).toBe(entry.method.toUpperCase());
    expect(exchange.url).toBe(`${filesBaseUrl}${entry.path}`);
    expect(exchange.requestHeaders.get("authorization")).toBe(`Bearer ${API_KEY}`);
  });

  it.each(errorCases)("%s answers a documented %i with its example", async (operationId, status, entry) => {
    const client = contractClient(recorder, { baseUrl: clientBaseUrl, maxRetries: 0 });
    const { data, error, response } = await call(operationId, client.raw, {
      baseUrl: filesBaseUrl,
      headers: prefer.code(status),
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(status);
    expect(error).toEqual(responseExample(entry.operation, status));
    expect(recorder.only().status).toBe(status);
  });

  it("uploadFileStream sends a real multipart body with the file's bytes", async () => {
    const client = contractClient(recorder, { baseUrl: clientBaseUrl });
    await call("uploadFileStream", client.raw, { baseUrl: filesBaseUrl });
    const exchange = recorder.only();
    expect(exchange.requestHeaders.get("content-type")).toMatch(/^multipart\/form-data; boundary=/);
    const sent = exchange.requestBody;
    const body = sent instanceof Uint8Array ? Buffer.from(sent).toString("latin1") : String(sent);
    expect(body).toContain('name="file"; filename="speaker.wav"');
    expect(body).toContain(UPLOAD_TEXT);
    expect(body).toContain('name="upload_path"');
  });

  // Regression: client.raw once decoded request bodies as text, corrupting non-UTF-8 bytes.
  it("uploadFileStream sends non-UTF-8 file bytes unchanged", async () => {
    const client = contractClient(recorder, { baseUrl: clientBaseUrl });
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x80, 0xfe]);
    const form = new FormData();
    form.append("file", new Blob([bytes], { type: "image/jpeg" }), "face.jpg");
    await client.raw.POST("/api/v1/files/upload/stream", {
      baseUrl: filesBaseUrl,
      body: form as unknown as StreamBody,
    });
    const sent = recorder.only().requestBody;
    const sentBytes =
      typeof sent === "string"
        ? new TextEncoder().encode(sent)
        : sent instanceof Uint8Array
          ? sent
          : new Uint8Array(await new Response(sent as BodyInit).arrayBuffer());
    expect(Buffer.from(sentBytes).includes(Buffer.from(bytes))).toBe(true);
  });

  it("a Files call without the per-request baseUrl goes to the client's base URL instead", async () => {
    const client = contractClient(recorder, { baseUrl: clientBaseUrl, maxRetries: 0 });
    const { response } = await client.raw.GET("/api/v1/files/quota");
    expect(response.status).toBe(404);
    expect(recorder.only().url).toBe(`${clientBaseUrl}/api/v1/files/quota`);
  });
});

describe("Files API security and request validation", () => {
  it.each(successCases)(
    "%s answers 401 with its example when no key is sent (apiKey: null)",
    async (operationId, entry) => {
      const recorder = createRecorder();
      const client = contractClient(recorder, { apiKey: null, baseUrl: clientBaseUrl, maxRetries: 0 });
      const { error, response } = await call(operationId, client.raw, { baseUrl: filesBaseUrl });
      expect(response.status).toBe(401);
      expect(error).toEqual(responseExample(entry.operation, 401));

      const exchange = recorder.only();
      expect(exchange.requestHeaders.has("authorization")).toBe(false);
      expect(exchange.violations?.every(isMissingSecurityViolation)).toBe(true);
    },
  );

  it("negative control: an empty base64_data is flagged by Prism", async () => {
    const recorder = createRecorder();
    const client = contractClient(recorder, { baseUrl: clientBaseUrl, maxRetries: 0 });
    const { response } = await client.raw.POST("/api/v1/files/upload/base64", {
      baseUrl: filesBaseUrl,
      body: { base64_data: "" },
    });
    expect(response.status).toBe(400);
    expect(recorder.only().violations).toContainEqual(
      expect.objectContaining({ location: ["request", "body", "base64_data"], code: "minLength" }),
    );
    expect(() => recorder.assertOnSpec()).toThrow(/base64_data/);
  });
});

/** Bytes that are not valid UTF-8, as in any real image, audio or video file. */
const BINARY = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x80, 0xfe, 0x0d, 0x0a]);

function sentBytes(body: unknown): Uint8Array {
  if (body instanceof Uint8Array) return body;
  if (typeof body === "string") return new TextEncoder().encode(body);
  throw new Error(`Unexpected recorded body: ${Object.prototype.toString.call(body)}`);
}

function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack).includes(Buffer.from(needle));
}

describe("client.files.upload against Prism (uploadFileStream)", () => {
  const recorder = useOnSpecRecorder();
  const stream = findOperation("uploadFileStream");
  const documented = responseExample(stream.operation, 200) as { data: { file_url: string } };
  let directory = "";

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "videoretalk-contract-"));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  function expectMultipartUpload(fileName: string): void {
    const exchange = recorder.only();
    expect(exchange.method).toBe("POST");
    expect(exchange.url).toBe(`${filesBaseUrl}${stream.path}`);
    expect(exchange.requestHeaders.get("authorization")).toBe(`Bearer ${API_KEY}`);
    expect(exchange.requestHeaders.get("content-type")).toMatch(/^multipart\/form-data; boundary=/);
    const body = sentBytes(exchange.requestBody);
    expect(containsBytes(body, BINARY), "the file's bytes arrive unchanged").toBe(true);
    expect(Buffer.from(body).toString("latin1")).toContain(`name="file"; filename="${fileName}"`);
  }

  it("uploads a Blob and resolves to the documented file_url, with progress", async () => {
    const client = contractClient(recorder, { baseUrl: clientBaseUrl, filesBaseUrl });
    const progress: UploadProgress[] = [];
    const url = await client.files.upload(new File([BINARY], "face.jpg", { type: "image/jpeg" }), {
      uploadPath: "images",
      onProgress: (event) => progress.push(event),
    });
    expect(url).toBe(documented.data.file_url);
    expectMultipartUpload("face.jpg");
    expect(Buffer.from(sentBytes(recorder.only().requestBody)).toString("latin1")).toContain('name="upload_path"');
    expect(progress.at(-1)).toEqual({ sentBytes: BINARY.byteLength, totalBytes: BINARY.byteLength });
  });

  it("uploads a ReadableStream (sent as a streamed body) and resolves to the documented file_url", async () => {
    const client = contractClient(recorder, { baseUrl: clientBaseUrl, filesBaseUrl });
    const body = new Blob([BINARY]).stream();
    const url = await client.files.upload(body, { fileName: "speech.wav", size: BINARY.byteLength });
    expect(url).toBe(documented.data.file_url);
    expectMultipartUpload("speech.wav");
  });

  it("uploads a file path with the Node build and resolves to the documented file_url", async () => {
    const file = join(directory, "speaker.mp4");
    await writeFile(file, BINARY);
    const client = createNodeVideoRetalk({
      apiKey: API_KEY,
      baseUrl: clientBaseUrl,
      filesBaseUrl,
      fetch: recorder.fetch,
    });
    await expect(client.files.upload(file)).resolves.toBe(documented.data.file_url);
    expectMultipartUpload("speaker.mp4");
  });

  it.each(errorStatuses(stream.operation))(
    "maps a documented %i {success:false} answer to its error class",
    async (status) => {
      const client = contractClient(recorder, { baseUrl: clientBaseUrl, filesBaseUrl, maxRetries: 0 });
      const envelope = responseExample(stream.operation, status) as { code: number; msg: string };
      const error = await rejection(
        client.files.upload(new Blob([BINARY], { type: "image/jpeg" }), { headers: prefer.code(status) }),
      );
      // Statuses without their own class (413) are a base APIError.
      const expected = ERROR_CLASS_BY_STATUS[status] ?? APIError;
      expect(error).toBeInstanceOf(expected);
      expect((error as object).constructor).toBe(expected);
      const apiError = error as APIError;
      expect(apiError.status).toBe(status);
      expect(apiError.code).toBe(envelope.code);
      expect(apiError.message).toContain(envelope.msg);
      expect(apiError.body).toEqual(envelope);
      expect(recorder.only().status).toBe(status);
    },
  );
});
