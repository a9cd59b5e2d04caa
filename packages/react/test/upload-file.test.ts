import { APIError, PermissionDeniedError } from "@videoretalk/core";
import { describe, expect, it } from "vitest";
import { type FileUploadProgress, type UploadXhr, uploadFile } from "../src/index.js";

type Listener = (event: { loaded: number; total: number; lengthComputable: boolean }) => void;

/** An XMLHttpRequest double: records what was sent and lets the test drive its events. */
class ScriptedXhr {
  method = "";
  url = "";
  body: FormData | undefined;
  headers: Record<string, string> = {};
  status = 0;
  responseText = "";
  responseHeaders = "";
  aborted = false;
  private listeners = new Map<string, Listener[]>();
  private uploadListeners = new Map<string, Listener[]>();
  upload = {
    addEventListener: (type: string, listener: Listener) => {
      this.uploadListeners.set(type, [...(this.uploadListeners.get(type) ?? []), listener]);
    },
  };
  addEventListener(type: string, listener: Listener) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.emit("abort");
  }
  getAllResponseHeaders() {
    return this.responseHeaders;
  }
  progress(loaded: number, total: number) {
    for (const listener of this.uploadListeners.get("progress") ?? [])
      listener({ loaded, total, lengthComputable: true });
  }
  respond(status: number, body: string, headers = "content-type: application/json\r\n") {
    this.status = status;
    this.responseText = body;
    this.responseHeaders = headers;
    this.emit("load");
  }
  emit(type: string) {
    for (const listener of this.listeners.get(type) ?? []) listener({ loaded: 0, total: 0, lengthComputable: false });
  }
}

function setup() {
  const xhr = new ScriptedXhr();
  return { xhr, createXhr: () => xhr as unknown as UploadXhr };
}

describe("uploadFile", () => {
  it("posts the file as the multipart part `file`, reports progress and resolves to file_url", async () => {
    const { xhr, createXhr } = setup();
    const progress: FileUploadProgress[] = [];
    const file = new File([new Uint8Array(1000)], "speaker.mp4", { type: "video/mp4" });
    const done = uploadFile(file, {
      proxyUrl: "/api/videoretalk/",
      onProgress: (p) => progress.push(p),
      headers: { "x-csrf-token": "t1" },
      createXhr,
    });
    expect(xhr.method).toBe("POST");
    expect(xhr.url).toBe("/api/videoretalk/v1/files/upload");
    expect(xhr.headers).toEqual({ "x-csrf-token": "t1" });
    const sent = xhr.body?.get("file") as File;
    expect(sent.name).toBe("speaker.mp4");
    expect(sent.type).toBe("video/mp4");
    expect(sent.size).toBe(1000);
    xhr.progress(400, 1200);
    xhr.progress(1200, 1200);
    xhr.respond(200, JSON.stringify({ file_url: "https://files.example.com/speaker.mp4" }));
    await expect(done).resolves.toBe("https://files.example.com/speaker.mp4");
    expect(progress).toEqual([
      { sentBytes: 400, totalBytes: 1200 },
      { sentBytes: 1200, totalBytes: 1200 },
    ]);
  });

  it("gives a file the browser left untyped a type from its name, so the proxy's allowlist can check it", async () => {
    const { xhr, createXhr } = setup();
    const done = uploadFile(new File(["RIFF"], "speech.WAV"), { proxyUrl: "/p", createXhr });
    expect((xhr.body?.get("file") as File | undefined)?.type).toBe("audio/wav");
    xhr.respond(200, JSON.stringify({ file_url: "https://f/1" }));
    await done;
  });

  it("rejects with core's typed error carrying the proxy's message for a refusal", async () => {
    const { xhr, createXhr } = setup();
    const done = uploadFile(new File(["x"], "a.mp4", { type: "video/mp4" }), { proxyUrl: "/p", createXhr });
    xhr.respond(
      413,
      JSON.stringify({
        error: {
          code: "request_too_large",
          message: "The file is larger than this server accepts (10 bytes).",
          type: "invalid_request_error",
        },
      }),
    );
    const error = await done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 413, code: "request_too_large" });
    expect((error as Error).message).toContain("larger than this server accepts");

    const second = setup();
    const refused = uploadFile(new File(["x"], "a.mp4"), { proxyUrl: "/p", createXhr: second.createXhr });
    second.xhr.respond(
      403,
      JSON.stringify({ error: { code: "permission_denied", message: "no", type: "permission_error" } }),
    );
    await expect(refused).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it("rejects a 200 without file_url instead of resolving to nothing", async () => {
    const { xhr, createXhr } = setup();
    const done = uploadFile(new File(["x"], "a.mp4"), { proxyUrl: "/p", createXhr });
    xhr.respond(200, "<html>login</html>", "content-type: text/html\r\n");
    await expect(done).rejects.toBeInstanceOf(APIError);
  });

  it("aborts the request when the signal aborts, and never starts with an aborted one", async () => {
    const { xhr, createXhr } = setup();
    const controller = new AbortController();
    const done = uploadFile(new File(["x"], "a.mp4"), { proxyUrl: "/p", createXhr, signal: controller.signal });
    controller.abort();
    await expect(done).rejects.toMatchObject({ name: "AbortError" });
    expect(xhr.aborted).toBe(true);

    const fresh = setup();
    await expect(
      uploadFile(new File(["x"], "a.mp4"), { proxyUrl: "/p", createXhr: fresh.createXhr, signal: controller.signal }),
    ).rejects.toMatchObject({ name: "AbortError" });
    expect(fresh.xhr.url).toBe("");
  });

  it("rejects on a network error", async () => {
    const { xhr, createXhr } = setup();
    const done = uploadFile(new File(["x"], "a.mp4"), { proxyUrl: "/p", createXhr });
    xhr.emit("error");
    await expect(done).rejects.toThrow(/network error/);
  });
});
