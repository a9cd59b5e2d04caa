import type { Clock, UploadOptions } from "@videoretalk/core";
import type { ApiErrorFields } from "./api-error-response.js";
import { deadlineBody, releaseAdapterBodyDeadline } from "./body-deadline.js";
import { matchesSignature, SIGNATURE_BYTES } from "./media-signature.js";
import {
  MultipartError,
  type MultipartFailure,
  type MultipartFile,
  multipartBoundary,
  openMultipartFile,
} from "./multipart-file.js";
import { declaredLengthExceeds } from "./read-body.js";
import { canonicalMediaType, type ResolvedUploads } from "./upload-options.js";

/** What the upload route needs from the proxy around it. */
export interface UploadRouteContext {
  /** `client.files.upload` of the server's client (it adds the key). */
  upload: (input: ReadableStream<Uint8Array>, options: UploadOptions) => Promise<string>;
  uploads: ResolvedUploads;
  /** Times the body deadlines. */
  clock: Clock;
  send: (status: number, body: unknown) => Response;
  refuse: (status: number, fields: ApiErrorFields) => Response;
  upstreamFailure: (error: unknown, request: Request) => Response;
}

// Room for the boundary lines and part headers on top of the file itself.
const MULTIPART_OVERHEAD_BYTES = 17 * 1024;
// The upstream upload lasts as long as the body arrives, plus the Files API's answer; core's own
// 10-minute upload timeout would otherwise end a slow upload the body deadline still allows.
const UPSTREAM_ANSWER_MS = 60_000;

function failureFields(reason: MultipartFailure, maxBytes: number): [number, ApiErrorFields] {
  if (reason === "timed-out") {
    return [
      408,
      {
        code: "request_timeout",
        message: "The file was not received in time; the upload stalled or took too long.",
        type: "invalid_request_error",
        param: "file",
      },
    ];
  }
  if (reason === "too-large") {
    return [
      413,
      {
        code: "request_too_large",
        message: `The file is larger than this server accepts (${maxBytes} bytes).`,
        type: "invalid_request_error",
        param: "file",
      },
    ];
  }
  return [
    400,
    {
      code: reason === "malformed" ? "invalid_multipart" : "invalid_request",
      message:
        reason === "malformed"
          ? "Send exactly one file as multipart/form-data, in a part named file with a filename."
          : "The request body could not be read.",
      type: "invalid_request_error",
      param: "file",
    },
  ];
}

/** The name the file is stored under: the last path segment the browser sent, at most 200 characters. */
function storedName(fileName: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const base = (fileName.split(/[\\/]/).pop() ?? "").replace(/[\x00-\x1f\x7f]/g, "").trim();
  return base === "" ? "upload" : base.slice(-200);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

/** Reads the file's first bytes for the signature check; they are sent on afterwards. */
async function readHead(file: MultipartFile): Promise<Uint8Array> {
  let head: Uint8Array = new Uint8Array(0);
  while (head.byteLength < SIGNATURE_BYTES) {
    const chunk = await file.next();
    if (chunk === undefined) break;
    head = concat(head, chunk);
  }
  return head;
}

/**
 * The file's bytes for core's upload, counted as they are pulled: past `maxBytes` the stream
 * fails (so the upstream request is aborted, with nothing past the cap sent) and `failure` says
 * why.
 */
function cappedStream(
  file: MultipartFile,
  head: Uint8Array,
  maxBytes: number,
  failure: { reason?: MultipartFailure },
): ReadableStream<Uint8Array> {
  let pending: Uint8Array | undefined = head;
  let counted = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = pending ?? (await file.next());
        pending = undefined;
        if (chunk === undefined) {
          controller.close();
          return;
        }
        counted += chunk.byteLength;
        if (counted > maxBytes) throw new MultipartError("too-large");
        controller.enqueue(chunk);
      } catch (error) {
        failure.reason = error instanceof MultipartError ? error.reason : "read-failed";
        file.cancel();
        controller.error(error);
      }
    },
    cancel() {
      file.cancel();
    },
  });
}

/**
 * `POST {basePath}/v1/files/upload`: checks the declared type against the allowlist and the
 * file's first bytes, then streams the file to the Files API with the server's key, counting
 * bytes against the cap. The body is read under the route's own deadlines (`bodyTimeoutMs`,
 * `bodyIdleTimeoutMs`; 408 past either). The browser gets `{ file_url }` and nothing else.
 */
export async function handleUpload(request: Request, ctx: UploadRouteContext): Promise<Response> {
  const { maxBytes, allowedTypes, bodyTimeoutMs, bodyIdleTimeoutMs } = ctx.uploads;
  const fail = (reason: MultipartFailure) => ctx.refuse(...failureFields(reason, maxBytes));
  const unsupported = (message: string) =>
    ctx.refuse(415, { code: "unsupported_media_type", message, type: "invalid_request_error", param: "file" });

  const boundary = multipartBoundary(request.headers.get("content-type"));
  if (boundary === undefined) {
    return unsupported("Send the file as multipart/form-data (a FormData with one File in a part named file).");
  }
  if (declaredLengthExceeds(request.headers, maxBytes + MULTIPART_OVERHEAD_BYTES)) return fail("too-large");
  if (request.body === null) return fail("malformed");
  // From here this route's deadlines apply, not the node adapter's 30 s meant for JSON bodies.
  releaseAdapterBodyDeadline(request);
  const body = deadlineBody(request.body, {
    idleTimeoutMs: bodyIdleTimeoutMs,
    totalTimeoutMs: bodyTimeoutMs,
    clock: ctx.clock,
  });

  let file: MultipartFile;
  let head: Uint8Array;
  try {
    file = await openMultipartFile(body, boundary);
  } catch (error) {
    return fail(error instanceof MultipartError ? error.reason : "read-failed");
  }
  try {
    if (file.field !== "file") {
      file.cancel();
      return fail("malformed");
    }
    const type = canonicalMediaType(file.contentType);
    if (!allowedTypes.has(type)) {
      file.cancel();
      return unsupported(
        `Files of type ${JSON.stringify(file.contentType || "(none)")} are not accepted; allowed: ${[...allowedTypes].join(", ")}.`,
      );
    }
    head = await readHead(file);
    if (head.byteLength === 0) {
      file.cancel();
      return ctx.refuse(400, {
        code: "empty_file",
        message: "The uploaded file is empty.",
        type: "invalid_request_error",
        param: "file",
      });
    }
    if (!matchesSignature(type, head)) {
      file.cancel();
      return unsupported(`The file's content is not ${type}, although it was sent as such.`);
    }
    const failure: { reason?: MultipartFailure } = {};
    try {
      const fileUrl = await ctx.upload(cappedStream(file, head, maxBytes, failure), {
        fileName: storedName(file.fileName),
        contentType: type,
        signal: request.signal,
        maxRetries: 0,
        timeoutMs: bodyTimeoutMs + UPSTREAM_ANSWER_MS,
      });
      if (failure.reason) return fail(failure.reason);
      return ctx.send(200, { file_url: fileUrl });
    } catch (error) {
      if (failure.reason) return fail(failure.reason);
      return ctx.upstreamFailure(error, request);
    }
  } catch (error) {
    return fail(error instanceof MultipartError ? error.reason : "read-failed");
  } finally {
    file.cancel();
  }
}
