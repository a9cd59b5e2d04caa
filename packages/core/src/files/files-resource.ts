import { describeUnreadableBody } from "../error-from-response.js";
import { APIError, VideoRetalkError } from "../errors.js";
import { headersToRecord } from "../headers-record.js";
import { redactJson } from "../redact-json.js";
import type { RequestOptions } from "../request-options.js";
import { parseJson, requestIdFrom } from "../response-parts.js";
import type { Transport } from "../transport.js";
import { type FilesEnvelope, filesError } from "./files-error.js";
import { DEFAULT_UPLOAD_TIMEOUT_MS } from "./limits.js";
import { multipartBlob, multipartParts, multipartStream, type UploadProgress } from "./multipart.js";
import { type PathOpener, toUploadSource, type UploadInput } from "./upload-source.js";

/** Options of `files.upload()`. */
export interface UploadOptions extends RequestOptions {
  /** Stored file name; defaults to the path's or File's name. */
  fileName?: string | undefined;
  /** Folder on the Files API; chosen by file type when omitted. */
  uploadPath?: string | undefined;
  /** MIME type of the file; guessed from the name when omitted. */
  contentType?: string | undefined;
  /** Size of a stream in bytes, so the 100 MB limit is checked before sending. */
  size?: number | undefined;
  /** Called as bytes are handed to the connection. */
  onProgress?: ((progress: UploadProgress) => void) | undefined;
}

/** `client.files`: host local files on Evolink's Files API to get URLs for generation inputs. */
export interface FilesResource {
  /**
   * Uploads one file (at most 100 MB) and resolves to its public `file_url`, valid for 72 hours.
   * Paths work in Node only; Blobs/Files and byte streams work everywhere. Paths and Blobs are
   * retried like a create; streams are never retried.
   *
   * @example
   * ```ts
   * const videoUrl = await client.files.upload("./speaker.mp4", {
   *   onProgress: ({ sentBytes, totalBytes }) => console.log(sentBytes, totalBytes),
   * });
   * ```
   * @throws {ValidationError} `field: "file"` for a missing/oversized file or a path outside Node.
   * @throws {APIError} subclasses for refusals (`{success:false}` is mapped by HTTP status, else
   *   by its code: `40001` → `BadRequestError`, `401` → `AuthenticationError`).
   */
  upload(input: UploadInput, options?: UploadOptions): Promise<string>;
}

export interface FilesContext {
  transport: Transport;
  filesBaseUrl: string;
  secrets: readonly string[];
  now: () => number;
  openPath: PathOpener | undefined;
  /** The client's browser check, passed in so this lazily loaded chunk shares no module with it. */
  isBrowserLike: () => boolean;
}

export function createFilesResource(ctx: FilesContext): FilesResource {
  const path = "/api/v1/files/upload/stream";
  return {
    async upload(input, options = {}) {
      const source = await toUploadSource(input, options, ctx.openPath);
      const fields: Record<string, string> = {};
      if (options.uploadPath) fields.upload_path = options.uploadPath;
      if (options.fileName) fields.file_name = options.fileName;
      const parts = multipartParts(source, fields);
      const failure: { error?: Error } = {};
      // Browsers get the file as one Blob: only some stream request bodies, and only over HTTP/2.
      // Elsewhere the body is streamed, so memory stays flat and progress follows the bytes sent.
      const blob = source.blob && ctx.isBrowserLike() ? multipartBlob(source.blob, parts) : undefined;
      if (blob) options.onProgress?.({ sentBytes: 0, totalBytes: source.size });
      let response: Awaited<ReturnType<Transport["request"]>>;
      try {
        response = await ctx.transport.request(
          {
            method: "POST",
            url: `${ctx.filesBaseUrl}${path}`,
            path,
            route: path,
            headers: { ...options.headers, "content-type": parts.contentType, accept: "application/json" },
            body: () => blob ?? multipartStream(source, parts, options.onProgress, failure),
            idempotencyKey: false,
          },
          {
            ...options,
            timeoutMs: options.timeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS,
            maxRetries: source.replayable ? options.maxRetries : 0,
          },
        );
      } catch (error) {
        if (failure.error) throw failure.error;
        throw error;
      }
      // The body was cut off at the size limit: whatever the server made of the partial upload,
      // it is not the caller's file.
      if (failure.error) throw failure.error;
      const parsed = parseJson(response.text);
      const envelope = typeof parsed === "object" && parsed !== null ? (parsed as FilesEnvelope) : undefined;
      const data = envelope?.data as { file_url?: unknown } | undefined;
      if (response.ok && envelope?.success === true && typeof data?.file_url === "string") {
        if (blob) options.onProgress?.({ sentBytes: source.size ?? 0, totalBytes: source.size });
        return data.file_url;
      }
      const requestId = requestIdFrom(response.headers, ctx.secrets);
      const error =
        response.ok && envelope?.success !== false
          ? new APIError(
              `Upload failed: the Files API answered ${response.status} with ${
                envelope ? "no file_url" : describeUnreadableBody(response.text, response.headers.get("content-type"))
              }${requestId ? ` (request id: ${requestId})` : ""}.`,
              {
                status: response.status,
                requestId,
                headers: headersToRecord(response.headers, ctx.secrets),
                body: redactJson(envelope, ctx.secrets),
              },
            )
          : filesError({
              httpStatus: response.status,
              headers: response.headers,
              envelope,
              detail: `the Files API answered ${response.status} without a message`,
              secrets: ctx.secrets,
              nowMs: ctx.now(),
            });
      if (error instanceof VideoRetalkError) error.idempotencyKey = response.idempotencyKey;
      throw error;
    },
  };
}
