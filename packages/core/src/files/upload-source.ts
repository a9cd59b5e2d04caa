import { ValidationError } from "../errors.js";
import { MAX_UPLOAD_BYTES } from "./limits.js";

/** What `files.upload()` accepts: a path (Node build only), a Blob/File, or a stream of bytes. */
export type UploadInput = string | Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** A file ready to be sent: its bytes (re-openable when `reopen` is set), size and name. */
export interface UploadSource {
  /** Opens the bytes; called once per attempt. */
  open(): AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;
  /** A Blob of the whole file, when one exists (lets browsers send without streaming). */
  blob?: Blob | undefined;
  /** Size in bytes, when known before sending. */
  size: number | undefined;
  fileName: string;
  contentType: string;
  /** Whether `open()` may be called again for a retry (paths and Blobs; never streams). */
  replayable: boolean;
}

/** Opens a file path; present only in the Node build. */
export type PathOpener = (path: string) => Promise<UploadSource>;

const TYPES_BY_EXTENSION: Record<string, string> = {
  mp4: "video/mp4",
  m4v: "video/x-m4v",
  mov: "video/quicktime",
  webm: "video/webm",
  mkv: "video/x-matroska",
  avi: "video/x-msvideo",
  wav: "audio/wav",
  mp3: "audio/mpeg",
  m4a: "audio/mp4",
  aac: "audio/aac",
  ogg: "audio/ogg",
  flac: "audio/flac",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  bmp: "image/bmp",
};

/** A MIME type guessed from a file name; the Files API decides what it accepts. */
export function contentTypeFor(fileName: string): string {
  const extension = fileName.toLowerCase().split(".").pop() ?? "";
  return TYPES_BY_EXTENSION[extension] ?? "application/octet-stream";
}

export function checkSize(size: number | undefined): void {
  if (size !== undefined && size > MAX_UPLOAD_BYTES) {
    throw new ValidationError(
      "file",
      `The file is ${(size / 1024 / 1024).toFixed(1)} MB; the Files API accepts at most 100 MB.`,
    );
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return value !== null && typeof value === "object" && Symbol.asyncIterator in value;
}

export interface SourceOptions {
  fileName?: string | undefined;
  contentType?: string | undefined;
  size?: number | undefined;
}

/**
 * Normalises an upload input and checks the size limit before anything is sent.
 *
 * @throws {ValidationError} `field: "file"` for an unsupported input, a path outside Node, or
 *   a file over 100 MB.
 */
export async function toUploadSource(
  input: UploadInput,
  options: SourceOptions,
  openPath: PathOpener | undefined,
): Promise<UploadSource> {
  let source: UploadSource;
  if (typeof input === "string") {
    if (input.trim() === "") throw new ValidationError("file", "files.upload() needs a file path, Blob or stream.");
    if (!openPath) {
      throw new ValidationError(
        "file",
        "File paths can only be uploaded from Node.js; in this runtime pass a Blob/File or a ReadableStream.",
      );
    }
    source = await openPath(input);
  } else if (typeof Blob !== "undefined" && input instanceof Blob) {
    const name = (input as Blob & { name?: unknown }).name;
    const fileName = typeof name === "string" && name !== "" ? name : "upload.bin";
    source = {
      open: () => input.stream(),
      blob: input,
      size: input.size,
      fileName,
      contentType: input.type || contentTypeFor(fileName),
      replayable: true,
    };
  } else if ((typeof ReadableStream !== "undefined" && input instanceof ReadableStream) || isAsyncIterable(input)) {
    let opened = false;
    const fileName = options.fileName ?? "upload.bin";
    source = {
      open: () => {
        if (opened) throw new ValidationError("file", "A stream can only be uploaded once.");
        opened = true;
        return input as ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;
      },
      size: options.size,
      fileName,
      contentType: contentTypeFor(fileName),
      replayable: false,
    };
  } else {
    throw new ValidationError("file", "files.upload() needs a file path (Node), a Blob/File, or a stream of bytes.");
  }
  if (options.fileName) source.fileName = options.fileName;
  if (options.contentType) source.contentType = options.contentType;
  if (options.size !== undefined) {
    if (!Number.isInteger(options.size) || options.size < 0) {
      throw new ValidationError("size", "size must be a whole number of bytes.");
    }
    source.size ??= options.size;
  }
  checkSize(source.size);
  return source;
}
