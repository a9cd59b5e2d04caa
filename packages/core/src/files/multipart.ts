import { ValidationError } from "../errors.js";
import { MAX_UPLOAD_BYTES } from "./limits.js";
import type { UploadSource } from "./upload-source.js";

/** Progress of an upload. */
export interface UploadProgress {
  sentBytes: number;
  /** Size of the file, when known. */
  totalBytes: number | undefined;
}

const encoder = new TextEncoder();

// RFC 7578 §4.2 / the HTML form encoding: quotes and line breaks in names are percent-escaped.
function escapeName(value: string): string {
  return value.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function randomBoundary(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return `----videoretalk${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export interface MultipartParts {
  boundary: string;
  contentType: string;
  head: Uint8Array;
  tail: Uint8Array;
}

/** The bytes around the file part of a `multipart/form-data` body with the given text fields. */
/** The whole body as one Blob, for runtimes that cannot stream request bodies. */
export function multipartBlob(blob: Blob, parts: MultipartParts): Blob {
  return new Blob([parts.head as BlobPart, blob, parts.tail as BlobPart]);
}

export function multipartParts(source: UploadSource, fields: Record<string, string>): MultipartParts {
  const boundary = randomBoundary();
  let head = "";
  for (const [name, value] of Object.entries(fields)) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"\r\n\r\n${value}\r\n`;
  }
  head += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${escapeName(source.fileName)}"\r\nContent-Type: ${source.contentType}\r\n\r\n`;
  return {
    boundary,
    contentType: `multipart/form-data; boundary=${boundary}`,
    head: encoder.encode(head),
    tail: encoder.encode(`\r\n--${boundary}--\r\n`),
  };
}

async function* chunksOf(stream: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (Symbol.asyncIterator in stream) {
    yield* stream as AsyncIterable<Uint8Array>;
    return;
  }
  const reader = (stream as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * The multipart body as a pull stream: file bytes are read only as fast as the connection takes
 * them (memory stays flat), counted for `onProgress`, and cut off past 100 MB for streams whose
 * size was not known in advance.
 */
export function multipartStream(
  source: UploadSource,
  parts: MultipartParts,
  onProgress: ((progress: UploadProgress) => void) | undefined,
  failure: { error?: Error },
): ReadableStream<Uint8Array> {
  let iterator: AsyncIterator<Uint8Array> | undefined;
  let sent = 0;
  let stage: "head" | "file" | "done" = "head";
  const report = () => onProgress?.({ sentBytes: sent, totalBytes: source.size });
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stage === "head") {
        stage = "file";
        iterator = chunksOf(source.open())[Symbol.asyncIterator]();
        report();
        controller.enqueue(parts.head);
        return;
      }
      if (stage === "file" && iterator) {
        const { done, value } = await iterator.next();
        if (!done) {
          const chunk = value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBufferLike);
          sent += chunk.byteLength;
          if (sent > MAX_UPLOAD_BYTES) {
            const error = new ValidationError(
              "file",
              "The stream exceeded 100 MB, the Files API limit; upload stopped.",
            );
            // fetch reports a failed body as a generic network error; the caller reads the real cause here.
            failure.error = error;
            await iterator.return?.();
            controller.error(error);
            return;
          }
          controller.enqueue(chunk);
          report();
          return;
        }
        stage = "done";
        controller.enqueue(parts.tail);
        controller.close();
      }
    },
    async cancel() {
      await iterator?.return?.();
    },
  });
}
