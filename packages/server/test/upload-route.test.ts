import { ValidationError } from "@videoretalk/core";
import { describe, expect, it } from "vitest";
import {
  createProxyHandler,
  DEFAULT_UPLOAD_MAX_BYTES,
  DEFAULT_UPLOAD_TYPES,
  type ProxyHandlerOptions,
  type ProxyOperation,
} from "../src/index.js";
import { toNodeHandler } from "../src/node.js";
import { rawRequest, serve } from "./support/serve.js";
import { mp4Bytes, uploadFixture } from "./support/upload-fixture.js";

const API_KEY = "sk-test-UPLOADKEY-0123456789abcdef";
const ORIGIN = "http://app.test";
const BASE = "/api/videoretalk";
const UPLOAD_URL = `${ORIGIN}${BASE}/v1/files/upload`;

const { files, servers } = uploadFixture();

function proxy(overrides: Partial<ProxyHandlerOptions> = {}) {
  return createProxyHandler({
    authorize: () => true,
    apiKey: API_KEY,
    baseUrl: "http://127.0.0.1:9", // never called by the upload route
    filesBaseUrl: files.url,
    basePath: BASE,
    uploads: true,
    onError: () => {},
    ...overrides,
  });
}

function form(bytes: Uint8Array, type: string, name = "speaker.mp4"): FormData {
  const body = new FormData();
  body.append("file", new File([bytes as BlobPart], name, { type }));
  return body;
}

function uploadRequest(body: FormData, headers: Record<string, string> = {}): Request {
  return new Request(UPLOAD_URL, { method: "POST", body, headers: { cookie: "session=abc", ...headers } });
}

/** A multipart body streamed in 16 KiB chunks with no Content-Length; records how much was pulled. */
function streamedUpload(fileBytes: number) {
  const boundary = "----h10boundary0123456789";
  const head = new TextEncoder().encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
  );
  const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
  const file = mp4Bytes(fileBytes);
  const state = { pulledFileBytes: 0, cancelled: false };
  let stage = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (stage === 0) {
        stage = 1;
        controller.enqueue(head);
        return;
      }
      if (state.pulledFileBytes < file.byteLength) {
        const chunk = file.subarray(state.pulledFileBytes, state.pulledFileBytes + 16 * 1024);
        state.pulledFileBytes += chunk.byteLength;
        controller.enqueue(chunk);
        return;
      }
      controller.enqueue(tail);
      controller.close();
    },
    cancel() {
      state.cancelled = true;
    },
  });
  const request = new Request(UPLOAD_URL, {
    method: "POST",
    body,
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    duplex: "half",
  } as RequestInit);
  return { request, state };
}

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; param?: string } }).error;
}

describe("upload route: off by default", () => {
  it("answers 404 and forwards nothing when the uploads option is not set", async () => {
    const handler = proxy({ uploads: undefined });
    const response = await handler(uploadRequest(form(mp4Bytes(1024), "video/mp4")));
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe("not_found");
    expect(files.uploads).toHaveLength(0);
  });

  it("refuses invalid options when the handler is built", () => {
    const fieldOf = (uploads: ProxyHandlerOptions["uploads"]) => {
      try {
        proxy({ uploads });
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).field;
      }
      return "no error";
    };
    expect(fieldOf({ maxBytes: DEFAULT_UPLOAD_MAX_BYTES + 1 })).toBe("uploads.maxBytes");
    expect(fieldOf({ maxBytes: 0 })).toBe("uploads.maxBytes");
    expect(fieldOf({ allowedTypes: ["not a type"] })).toBe("uploads.allowedTypes");
    expect(fieldOf({ allowedTypes: [] })).toBe("uploads.allowedTypes");
    expect(DEFAULT_UPLOAD_TYPES).toContain("video/quicktime");
  });

  it("answers 405 with Allow: POST for another method on the upload path", async () => {
    const response = await proxy()(new Request(UPLOAD_URL, { method: "GET" }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });
});

describe("upload route: forwarding", () => {
  it("streams the file to the Files API with the server's key and answers only { file_url }", async () => {
    const bytes = mp4Bytes(300 * 1024);
    const response = await proxy()(uploadRequest(form(bytes, "video/mp4", "../../etc/speaker.mp4")));
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toEqual({ file_url: `${files.url}/files/upload-1` });
    expect([...response.headers.keys()]).toEqual(["content-type"]);
    expect(text).not.toContain(API_KEY);

    expect(files.uploads).toHaveLength(1);
    const [upload] = files.uploads;
    expect(upload?.url).toBe("/api/v1/files/upload/stream");
    expect(upload?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(upload?.headers.cookie).toBeUndefined();
    const body = upload?.body ?? Buffer.alloc(0);
    expect(body.includes(Buffer.from(bytes))).toBe(true);
    // The stored name is the last path segment; the type is the checked one.
    expect(body.toString("latin1")).toContain('filename="speaker.mp4"\r\nContent-Type: video/mp4');
  });

  it("accepts a browser's alias type (audio/x-wav) for a real WAV header", async () => {
    const wav = new Uint8Array(64);
    wav.set(new TextEncoder().encode("RIFF\x24\x00\x00\x00WAVEfmt "), 0);
    const response = await proxy()(uploadRequest(form(wav, "audio/x-wav", "speech.wav")));
    expect(response.status).toBe(200);
    expect(files.uploads).toHaveLength(1);
  });

  it("passes authorize the upload operation and answers 403 when it refuses, forwarding nothing", async () => {
    const seen: ProxyOperation[] = [];
    const handler = proxy({
      authorize: (_request, operation) => {
        seen.push(operation);
        return false;
      },
    });
    const response = await handler(uploadRequest(form(mp4Bytes(1024), "video/mp4")));
    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe("permission_denied");
    expect(seen).toEqual([{ operation: "upload" }]);
    expect(files.uploads).toHaveLength(0);
  });

  it("passes a Files API refusal on in the API error shape, without the key", async () => {
    files.failNext(401, { success: false, code: 401, msg: `Invalid token ${API_KEY}` });
    const response = await proxy()(uploadRequest(form(mp4Bytes(1024), "video/mp4")));
    const text = await response.text();
    expect(response.status).toBe(401);
    expect(text).not.toContain(API_KEY);
    expect(JSON.parse(text).error.code).toBe(401);
  });
});

describe("upload route: refusals", () => {
  it("answers 415 for a type outside the allowlist, forwarding nothing", async () => {
    const response = await proxy()(uploadRequest(form(new TextEncoder().encode("hello"), "text/plain", "a.txt")));
    expect(response.status).toBe(415);
    expect(await errorOf(response)).toMatchObject({ code: "unsupported_media_type", param: "file" });
    expect(files.uploads).toHaveLength(0);
  });

  it("answers 415 when the content does not match the declared type (a text file named .mp4)", async () => {
    const text = new TextEncoder().encode("this is not a video, just some text in a file");
    const response = await proxy()(uploadRequest(form(text, "video/mp4", "fake.mp4")));
    expect(response.status).toBe(415);
    expect(files.uploads).toHaveLength(0);
  });

  it("answers 415 for a body that is not multipart", async () => {
    const response = await proxy()(
      new Request(UPLOAD_URL, {
        method: "POST",
        body: mp4Bytes(64) as BlobPart,
        headers: { "content-type": "video/mp4" },
      }),
    );
    expect(response.status).toBe(415);
  });

  it("honours a custom allowlist", async () => {
    const response = await proxy({ uploads: { allowedTypes: ["audio/wav"] } })(
      uploadRequest(form(mp4Bytes(1024), "video/mp4")),
    );
    expect(response.status).toBe(415);
    expect(files.uploads).toHaveLength(0);
  });

  it("answers 400 for a second part after the file", async () => {
    const body = form(mp4Bytes(1024), "video/mp4");
    body.append("extra", "field");
    const response = await proxy()(uploadRequest(body));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe("invalid_multipart");
  });

  it("answers 413 from a declared Content-Length over the cap without reading or forwarding", async () => {
    const { request, state } = streamedUpload(256 * 1024);
    const declared = new Request(request, {
      headers: {
        "content-type": request.headers.get("content-type") ?? "",
        "content-length": String(10 * 1024 * 1024),
      },
    });
    const response = await proxy({ uploads: { maxBytes: 64 * 1024 } })(declared);
    expect(response.status).toBe(413);
    // At most what the stream buffered ahead by itself: the body was never read.
    expect(state.pulledFileBytes).toBeLessThan(64 * 1024);
    expect(files.uploads).toHaveLength(0);
  });

  it("answers 413 once a streamed body passes the cap, stops reading it, and completes no upload", async () => {
    const { request, state } = streamedUpload(1024 * 1024);
    const response = await proxy({ uploads: { maxBytes: 64 * 1024 } })(request);
    expect(response.status).toBe(413);
    expect(await errorOf(response)).toMatchObject({ code: "request_too_large", param: "file" });
    expect(state.cancelled).toBe(true);
    expect(state.pulledFileBytes).toBeLessThan(1024 * 1024);
    expect(files.uploads).toHaveLength(0);
  });
});

describe("upload route through toNodeHandler", () => {
  async function start(handler: (request: Request) => Promise<Response>) {
    const served = await serve(toNodeHandler(handler));
    servers.push(served);
    return served;
  }

  it("streams a browser-style FormData upload through node:http and answers { file_url }", async () => {
    const app = await start(proxy());
    const bytes = mp4Bytes(2 * 1024 * 1024);
    const response = await fetch(`${app.url}${BASE}/v1/files/upload`, {
      method: "POST",
      body: form(bytes, "video/mp4"),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ file_url: `${files.url}/files/upload-1` });
    expect(files.uploads[0]?.body.includes(Buffer.from(bytes))).toBe(true);
    // The whole body was read, so the connection stays open for the next request.
    expect(response.headers.get("connection")).not.toBe("close");
  });

  it("uses its own cap, not maxBodyBytes: a 2 MB file passes with maxBodyBytes at 1 KiB", async () => {
    const app = await start(proxy({ maxBodyBytes: 1024 }));
    const response = await fetch(`${app.url}${BASE}/v1/files/upload`, {
      method: "POST",
      body: form(mp4Bytes(2 * 1024 * 1024), "video/mp4"),
    });
    expect(response.status).toBe(200);
  });

  it("answers 413 to a chunked upload (no Content-Length) once it passes the cap, while it is still sending", async () => {
    const app = await start(proxy({ uploads: { maxBytes: 64 * 1024 } }));
    const boundary = "----h10node";
    const response = await rawRequest(app.port, {
      method: "POST",
      path: `${BASE}/v1/files/upload`,
      headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "transfer-encoding": "chunked" },
      chunks: [
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
        Buffer.from(mp4Bytes(256 * 1024)),
      ],
      // The body never ends: the answer must come from the cap, not from the end of the upload.
      keepOpen: true,
    });
    expect(response.status).toBe(413);
    expect(response.headers.connection).toBe("close");
    expect(JSON.parse(response.body).error.code).toBe("request_too_large");
    expect(files.uploads).toHaveLength(0);
  });

  it("answers 413 over the cap through node:http with nothing uploaded", async () => {
    const app = await start(proxy({ uploads: { maxBytes: 128 * 1024 } }));
    const response = await fetch(`${app.url}${BASE}/v1/files/upload`, {
      method: "POST",
      body: form(mp4Bytes(1024 * 1024), "video/mp4"),
    });
    expect(response.status).toBe(413);
    expect(files.uploads).toHaveLength(0);
  });
});
