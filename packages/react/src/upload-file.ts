import { errorFromResponse } from "@videoretalk/core/http-errors";

/** Progress of {@link uploadFile}, in bytes of the request body. */
export interface FileUploadProgress {
  sentBytes: number;
  totalBytes: number;
}

/**
 * The slice of `XMLHttpRequest` {@link uploadFile} uses (injectable for tests). Spelled out
 * rather than picked from the DOM's types, so the package's declarations compile without the
 * DOM lib (Node and server-rendering projects).
 */
export interface UploadXhr {
  open(method: string, url: string): void;
  send(body: FormData): void;
  abort(): void;
  setRequestHeader(name: string, value: string): void;
  readonly status: number;
  readonly responseText: string;
  getAllResponseHeaders(): string;
  readonly upload: {
    addEventListener(
      type: "progress",
      listener: (event: { loaded: number; total: number; lengthComputable: boolean }) => void,
    ): void;
  };
  addEventListener(type: "load" | "error" | "abort", listener: () => void): void;
}

/** Options of {@link uploadFile}. */
export interface UploadFileOptions {
  /** Your proxy's URL (as for `VideoRetalkProvider proxyUrl`); the file goes to `{proxyUrl}/v1/files/upload`. */
  proxyUrl: string;
  /** Called as the browser sends the body (XMLHttpRequest upload progress). */
  onProgress?: ((progress: FileUploadProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** Extra request headers (e.g. a CSRF token). */
  headers?: Record<string, string> | undefined;
  /** Makes the request object. Default: `new XMLHttpRequest()`. */
  createXhr?: (() => UploadXhr) | undefined;
}

const TYPES: Record<string, string> = {
  mp4: "video/mp4",
  mov: "video/quicktime",
  avi: "video/x-msvideo",
  wav: "audio/wav",
  mp3: "audio/mpeg",
  aac: "audio/aac",
  m4a: "audio/mp4",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  bmp: "image/bmp",
  webp: "image/webp",
};

/** The file with a type the proxy can check: browsers leave `type` empty for names they do not know. */
function typed(file: Blob, name: string): Blob {
  if (file.type !== "") return file;
  const guessed = TYPES[name.toLowerCase().split(".").pop() ?? ""];
  return guessed ? new Blob([file], { type: guessed }) : file;
}

function headersOf(raw: string): Headers {
  const headers = new Headers();
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const colon = line.indexOf(":");
    if (colon > 0) {
      try {
        headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      } catch {
        // A header the Fetch API refuses is of no use to the error anyway.
      }
    }
  }
  return headers;
}

/**
 * Uploads a `File` through your proxy's upload route (`createProxyHandler({ uploads: true })`
 * from `@videoretalk/server`) and resolves to its `file_url`, ready for `video_url`/`audio_url`.
 * Progress comes from XMLHttpRequest upload events, which every browser supports (fetch
 * upload streams do not report progress and need HTTP/2).
 *
 * @example
 * ```ts
 * const videoUrl = await uploadFile(file, {
 *   proxyUrl: "/api/videoretalk",
 *   onProgress: ({ sentBytes, totalBytes }) => setPercent(Math.round((100 * sentBytes) / totalBytes)),
 * });
 * ```
 * @throws core's `APIError` subclasses for refusals (413 too large, 415 type, 403 …), with the
 *   proxy's message; `APIConnectionError`-like `Error` for a network failure; an `AbortError`
 *   `DOMException` when `signal` aborts.
 */
export function uploadFile(file: Blob, options: UploadFileOptions): Promise<string> {
  const name = (file as Blob & { name?: string }).name || "upload";
  const body = new FormData();
  body.append("file", typed(file, name), name);
  const xhr = options.createXhr?.() ?? (new XMLHttpRequest() as unknown as UploadXhr);
  const url = `${options.proxyUrl.replace(/\/+$/, "")}/v1/files/upload`;

  return new Promise<string>((resolve, reject) => {
    const { signal } = options;
    const abortError = () => signal?.reason ?? new DOMException("The upload was aborted.", "AbortError");
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const onAbort = () => xhr.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    const settle = (outcome: () => void) => {
      signal?.removeEventListener("abort", onAbort);
      outcome();
    };

    xhr.upload.addEventListener("progress", (event) => {
      options.onProgress?.({ sentBytes: event.loaded, totalBytes: event.lengthComputable ? event.total : file.size });
    });
    xhr.addEventListener("load", () =>
      settle(() => {
        let fileUrl: unknown;
        try {
          fileUrl = (JSON.parse(xhr.responseText) as { file_url?: unknown }).file_url;
        } catch {
          fileUrl = undefined;
        }
        if (xhr.status >= 200 && xhr.status < 300 && typeof fileUrl === "string") {
          resolve(fileUrl);
          return;
        }
        reject(
          errorFromResponse({
            status: xhr.status >= 400 ? xhr.status : 502,
            headers: headersOf(xhr.getAllResponseHeaders()),
            text: xhr.responseText,
            secrets: [],
            nowMs: Date.now(),
          }),
        );
      }),
    );
    xhr.addEventListener("error", () => settle(() => reject(new Error(`The upload to ${url} failed: network error.`))));
    xhr.addEventListener("abort", () => settle(() => reject(abortError())));
    xhr.open("POST", url);
    for (const [header, value] of Object.entries(options.headers ?? {})) xhr.setRequestHeader(header, value);
    xhr.send(body);
  });
}
