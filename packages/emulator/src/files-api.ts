import type { IncomingMessage } from "node:http";
import { filesErrorBody } from "./api-errors.js";
import { type FileStore, MAX_FILES, MAX_UPLOAD_BYTES, type NewFile, type StoredFile } from "./file-store.js";
import { BodyTooLargeError, parseJson, readBody } from "./http-utils.js";
import { type HostedMedia, hostMedia, mimeTypeFor, sample } from "./media.js";

/**
 * The Files API (`/api/v1/files/upload/{stream,base64,url}` and `/api/v1/files/quota`) in the
 * shapes of spec/videoretalk.openapi.yaml. Nothing is fetched from the network: `upload/url`
 * copies a file the emulator hosts itself, or stores a sample placeholder for any other URL.
 */

/** A JSON answer: status, body and extra headers. */
export interface JsonReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What the Files API handlers need from the emulator. */
export interface FilesApiContext {
  files: FileStore;
  baseUrl: string;
  /** The bytes behind a URL the emulator hosts; `"missing"` for its own URLs that serve nothing. */
  resolveHosted(url: string): HostedMedia | "missing" | undefined;
}

// Multipart framing and Base64 inflate the body beyond the file itself.
const MULTIPART_LIMIT_BYTES = MAX_UPLOAD_BYTES + 1024 * 1024;
const BASE64_LIMIT_BYTES = Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 1024 * 1024;
const JSON_LIMIT_BYTES = 64 * 1024;
const UPLOAD_FIELDS = new Set(["upload_path", "file_name"]);
// A 1×1 transparent PNG, the placeholder for image URLs the emulator cannot fetch.
const PLACEHOLDER_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

// The rest of an oversized body is never read, so the connection cannot be reused.
const tooLarge = (): JsonReply => ({ status: 413, body: filesErrorBody(413), headers: { Connection: "close" } });
const badRequest = (msg: string, code = 400): JsonReply => ({ status: 400, body: filesErrorBody(400, { code, msg }) });

function fileData(file: StoredFile, baseUrl: string) {
  return {
    file_id: file.id,
    file_name: file.fileName,
    original_name: file.originalName,
    file_size: file.bytes.length,
    mime_type: file.mimeType,
    upload_path: file.uploadPath,
    file_url: `${baseUrl}/files/${file.uploadPath}/${file.fileName}`,
    download_url: `${baseUrl}/api/v1/files/download/${file.id}`,
    upload_time: file.uploadTime.toISOString(),
    expires_at: file.expiresAt.toISOString(),
  };
}

function store(context: FilesApiContext, file: NewFile): JsonReply {
  if (file.bytes.length > MAX_UPLOAD_BYTES) return tooLarge();
  const replacing = file.uploadPath && file.fileName;
  if (context.files.count >= MAX_FILES && !replacing) {
    return badRequest(`File quota exceeded (max ${MAX_FILES} files)`, 40003);
  }
  const stored = context.files.put(file);
  return {
    status: 200,
    body: { success: true, code: 200, msg: "File uploaded successfully", data: fileData(stored, context.baseUrl) },
  };
}

async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer | JsonReply> {
  try {
    return await readBody(req, limit);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return tooLarge();
    throw error;
  }
}

async function readJsonObject(req: IncomingMessage, limit: number): Promise<Record<string, unknown> | JsonReply> {
  const body = await readLimited(req, limit);
  if (!Buffer.isBuffer(body)) return body;
  const parsed = parseJson(body.toString("utf8"));
  if (!parsed || parsed.value === null || typeof parsed.value !== "object" || Array.isArray(parsed.value)) {
    return badRequest("The request body must be a JSON object");
  }
  return parsed.value as Record<string, unknown>;
}

function optionalString(input: Record<string, unknown>, key: string): string | JsonReply | undefined {
  const value = input[key];
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : badRequest(`${key} must be a string`);
}

function isReply(value: unknown): value is JsonReply {
  return typeof value === "object" && value !== null && "status" in value && "body" in value;
}

/** `POST /api/v1/files/upload/stream`: one multipart `file` plus optional path and name fields. */
export async function uploadStream(req: IncomingMessage, context: FilesApiContext): Promise<JsonReply> {
  const contentType = req.headers["content-type"] ?? "";
  if (!/^multipart\/form-data\b/i.test(contentType)) {
    return badRequest("The request must be multipart/form-data with a file field");
  }
  const body = await readLimited(req, MULTIPART_LIMIT_BYTES);
  if (!Buffer.isBuffer(body)) return body;
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength), {
      headers: { "content-type": contentType },
    }).formData();
  } catch {
    return badRequest("The multipart body could not be parsed");
  }
  const file = form.get("file");
  if (file === null || typeof file === "string") return badRequest("Missing required field: file");
  if (file.size > MAX_UPLOAD_BYTES) return tooLarge();
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const originalName = file.name && file.name !== "blob" ? file.name : undefined;
  const declaredType = file.type && file.type !== "application/octet-stream" ? file.type : undefined;
  const fileName = text("file_name") ?? text("fileName");
  return store(context, {
    bytes: Buffer.from(await file.arrayBuffer()),
    mimeType: declaredType ?? mimeTypeFor(fileName ?? originalName ?? ""),
    originalName,
    uploadPath: text("upload_path") ?? text("uploadPath"),
    fileName,
  });
}

/** `POST /api/v1/files/upload/base64`: `{base64_data, upload_path?, file_name?}`. */
export async function uploadBase64(req: IncomingMessage, context: FilesApiContext): Promise<JsonReply> {
  const input = await readJsonObject(req, BASE64_LIMIT_BYTES);
  if (isReply(input)) return input;
  for (const key of Object.keys(input)) {
    if (key !== "base64_data" && !UPLOAD_FIELDS.has(key)) return badRequest(`Unknown parameter: ${key}`);
  }
  const data = input.base64_data;
  if (typeof data !== "string" || data === "") return badRequest("Missing required parameter: base64_data");
  const dataUrl = data.match(/^data:([^;,]*)(?:;[^,]*)?;base64,(.*)$/s);
  const payload = (dataUrl ? (dataUrl[2] ?? "") : data).replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(payload) || payload === "") {
    return badRequest("base64_data is not valid Base64");
  }
  const uploadPath = optionalString(input, "upload_path");
  const fileName = optionalString(input, "file_name");
  if (isReply(uploadPath)) return uploadPath;
  if (isReply(fileName)) return fileName;
  const declared = dataUrl?.[1] || undefined;
  return store(context, {
    bytes: Buffer.from(payload, "base64"),
    mimeType: declared ?? mimeTypeFor(fileName ?? ""),
    uploadPath,
    fileName,
  });
}

/** `POST /api/v1/files/upload/url`: `{file_url, upload_path?, file_name?}`, without any download. */
export async function uploadUrl(req: IncomingMessage, context: FilesApiContext): Promise<JsonReply> {
  const input = await readJsonObject(req, JSON_LIMIT_BYTES);
  if (isReply(input)) return input;
  for (const key of Object.keys(input)) {
    if (key !== "file_url" && !UPLOAD_FIELDS.has(key)) return badRequest(`Unknown parameter: ${key}`);
  }
  const fileUrl = input.file_url;
  if (typeof fileUrl !== "string" || fileUrl === "") return badRequest("Missing required parameter: file_url");
  let url: URL;
  try {
    url = new URL(fileUrl);
  } catch {
    return badRequest("file_url must be an absolute http(s) URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return badRequest("file_url must use http or https");
  const uploadPath = optionalString(input, "upload_path");
  const fileName = optionalString(input, "file_name");
  if (isReply(uploadPath)) return uploadPath;
  if (isReply(fileName)) return fileName;
  const remoteName = decodeURIComponent(url.pathname.split("/").pop() ?? "") || undefined;
  const hosted = context.resolveHosted(fileUrl);
  if (hosted === "missing") return badRequest("URL download failed (HTTP 404)", 40004);
  const media = hosted ?? placeholderFor(remoteName ?? "");
  return store(context, {
    bytes: media.bytes,
    mimeType: media.mimeType,
    originalName: remoteName,
    uploadPath,
    fileName: fileName ?? remoteName,
  });
}

/** The sample stored for a URL the emulator does not host (it never downloads anything). */
function placeholderFor(name: string): HostedMedia {
  const type = mimeTypeFor(name);
  if (type.startsWith("audio/")) return sample("speech.wav");
  if (type.startsWith("image/")) return hostMedia(PLACEHOLDER_PNG, "image/png", new Date(0));
  return sample("speaker.mp4");
}

/** `GET /api/v1/files/quota`. */
export function quota(context: FilesApiContext): JsonReply {
  const used = context.files.count;
  return {
    status: 200,
    body: {
      success: true,
      code: 200,
      data: {
        user_group: "default",
        used_files: used,
        max_files: MAX_FILES,
        remain_files: Math.max(0, MAX_FILES - used),
        is_custom: false,
      },
    },
  };
}
