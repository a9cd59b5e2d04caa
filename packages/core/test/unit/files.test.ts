import { jsonResponse } from "@videoretalk/test-support";
import { describe, expect, it } from "vitest";
import { APIError, AuthenticationError, BadRequestError, MAX_UPLOAD_BYTES, ValidationError } from "../../src/index.js";
import { rejectionOnClock, setup } from "./harness.js";

const uploaded = {
  success: true,
  code: 200,
  msg: "File uploaded successfully",
  data: { file_id: "file_1", file_url: "https://files.example.com/videos/speaker.mp4" },
};

/** Reads a request body to the end without keeping it, as a server would. */
async function drain(body: BodyInit | null | undefined): Promise<number> {
  if (!(body instanceof ReadableStream)) return 0;
  const reader = body.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return bytes;
      bytes += value.byteLength;
    }
  } catch {
    // A body the client cut off errors the stream: report how much arrived before it.
    return bytes;
  }
}

describe("files.upload", () => {
  it("sends one multipart request to the Files API origin and resolves to file_url", async () => {
    const calls: Array<{ url: string; headers: Headers; body: string }> = [];
    // A server that reads the body before answering, so upload progress is reported.
    const readingFetch: typeof fetch = async (input, init) => {
      const body = init?.body instanceof ReadableStream ? await new Response(init.body).text() : "";
      calls.push({ url: String(input), headers: new Headers(init?.headers), body });
      return jsonResponse(200, uploaded);
    };
    const { client, clock } = setup([], { fetch: readingFetch, filesBaseUrl: "https://files.example.test" });
    const progress: number[] = [];
    const url = await clock.runUntilSettled(
      client.files.upload(new Blob(["0123456789"], { type: "video/mp4" }), {
        fileName: "speaker.mp4",
        uploadPath: "videos",
        onProgress: ({ sentBytes }) => progress.push(sentBytes),
      }),
    );
    expect(url).toBe(uploaded.data.file_url);
    expect(progress).toEqual([0, 10]);
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.url).toBe("https://files.example.test/api/v1/files/upload/stream");
    expect(call?.headers.get("authorization")).toMatch(/^Bearer /);
    const boundary = call?.headers.get("content-type")?.match(/^multipart\/form-data; boundary=(.+)$/)?.[1];
    expect(boundary).toBeTruthy();
    expect(call?.body).toContain(`Content-Disposition: form-data; name="upload_path"\r\n\r\nvideos\r\n`);
    expect(call?.body).toContain(
      `Content-Disposition: form-data; name="file"; filename="speaker.mp4"\r\nContent-Type: video/mp4\r\n\r\n0123456789\r\n--${boundary}--\r\n`,
    );
  });

  it.each([
    [
      401,
      { success: false, code: 401, msg: "Invalid or expired token" },
      AuthenticationError,
      "Upload failed: 401: Invalid or expired token",
    ],
    [
      200,
      { success: false, code: 40001, msg: "File too large" },
      BadRequestError,
      "Upload failed: 400 40001: File too large",
    ],
    [413, { success: false, code: 40001, msg: "File too large" }, APIError, "Upload failed: 413 40001: File too large"],
  ] as const)(
    "maps an HTTP %s envelope to its class with a short message",
    async (status, body, ErrorClass, message) => {
      const { client, clock } = setup([jsonResponse(status, body)], { maxRetries: 0 });
      const error = await rejectionOnClock(clock, client.files.upload(new Blob(["x"])));
      expect(error).toBeInstanceOf(ErrorClass);
      expect((error as Error).message).toBe(message);
    },
  );

  it("treats a 2xx answer without file_url as a base APIError", async () => {
    const { client, clock } = setup([jsonResponse(200, { success: true, code: 200, data: {} })]);
    const error = await rejectionOnClock(clock, client.files.upload(new Blob(["x"])));
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(200);
  });

  it("refuses a stream declared over 100 MB before sending anything", async () => {
    const { client, clock, script } = setup([]);
    const stream = new ReadableStream<Uint8Array>({ pull: (c) => c.close() });
    const error = await rejectionOnClock(clock, client.files.upload(stream, { size: MAX_UPLOAD_BYTES + 1 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("file");
    expect(script.calls).toHaveLength(0);
  });

  it("refuses a file path in the neutral build (paths need Node's entry)", async () => {
    const { client, clock, script } = setup([]);
    const error = await rejectionOnClock(clock, client.files.upload("./speaker.mp4"));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/Node/);
    expect(script.calls).toHaveLength(0);
  });

  it("cuts off a stream of unknown size past 100 MB and says why", async () => {
    const chunk = new Uint8Array(1024 * 1024);
    let produced = 0;
    async function* endless() {
      for (;;) {
        produced += chunk.byteLength;
        yield chunk;
      }
    }
    let received = 0;
    // A server that reads the whole body before answering, so the limit is actually reached.
    const readingFetch: typeof fetch = async (_input, init) => {
      received = await drain(init?.body);
      return jsonResponse(200, uploaded);
    };
    const { client, clock } = setup([], { fetch: readingFetch });
    const error = await rejectionOnClock(clock, client.files.upload(endless()));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/exceeded 100 MB/);
    // The limit was really reached, and hardly a byte past it went out.
    expect(received).toBeGreaterThan(MAX_UPLOAD_BYTES - 2 * chunk.byteLength);
    expect(received).toBeLessThanOrEqual(MAX_UPLOAD_BYTES + 64 * 1024);
    expect(produced).toBeLessThanOrEqual(MAX_UPLOAD_BYTES + 2 * chunk.byteLength);
  });

  it("sends no Idempotency-Key: the Files API does not document one", async () => {
    const { client, clock, script } = setup([jsonResponse(200, uploaded)]);
    await clock.runUntilSettled(client.files.upload(new Blob(["x"])));
    expect(script.calls[0]?.headers["idempotency-key"]).toBeUndefined();
  });

  it("sends a Blob body, not a stream, in a browser (most cannot stream request bodies)", async () => {
    const globals = globalThis as { window?: unknown };
    const saved = globals.window;
    globals.window = { document: {} };
    try {
      let sentBody: BodyInit | null | undefined;
      let duplex: unknown;
      const browserFetch: typeof fetch = async (_input, init) => {
        sentBody = init?.body;
        duplex = (init as { duplex?: unknown } | undefined)?.duplex;
        return jsonResponse(200, uploaded);
      };
      const { client, clock } = setup([], { fetch: browserFetch, dangerouslyAllowBrowser: true });
      const progress: number[] = [];
      await clock.runUntilSettled(
        client.files.upload(new Blob(["0123456789"], { type: "video/mp4" }), {
          onProgress: ({ sentBytes }) => progress.push(sentBytes),
        }),
      );
      expect(sentBody).toBeInstanceOf(Blob);
      expect(duplex).toBeUndefined();
      const text = await (sentBody as Blob).text();
      expect(text).toMatch(/filename="upload\.bin"\r\nContent-Type: video\/mp4\r\n\r\n0123456789\r\n--/);
      expect(progress).toEqual([0, 10]);
    } finally {
      globals.window = saved;
    }
  });
});
