import { randomText } from "./http-utils.js";
import { extensionFor, type HostedMedia, hostMedia } from "./media.js";

/**
 * Uploaded files, kept in memory and served under `/files/<upload_path>/<file_name>` and
 * `/api/v1/files/download/<file_id>`. As in Evolink's service, uploading to a path that already
 * holds a file replaces it.
 */

/** The largest accepted upload (Evolink's clients enforce 100 MB). */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
/** The default group's file quota (docs: 2000 files). */
export const MAX_FILES = 2000;
const RETENTION_MS = 72 * 60 * 60 * 1000;

/** A stored upload. */
export interface StoredFile extends HostedMedia {
  id: string;
  fileName: string;
  originalName: string;
  uploadPath: string;
  uploadTime: Date;
  expiresAt: Date;
}

/** What an upload provides. */
export interface NewFile {
  bytes: Buffer;
  mimeType: string;
  originalName?: string;
  uploadPath?: string;
  fileName?: string;
}

/** The upload store (see {@link createFileStore}). */
export interface FileStore {
  put(file: NewFile): StoredFile;
  byPath(path: string): StoredFile | undefined;
  byId(id: string): StoredFile | undefined;
  readonly count: number;
}

function defaultFolder(mimeType: string): string {
  if (mimeType.startsWith("video/")) return "videos";
  if (mimeType.startsWith("audio/")) return "audios";
  if (mimeType.startsWith("image/")) return "images";
  return "files";
}

/** Keeps safe path segments only: no `..`, no empty parts, URL-safe characters. */
export function cleanUploadPath(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const parts = path
    .split(/[\\/]+/)
    .map((part) => part.replace(/[^A-Za-z0-9._-]/g, "_"))
    .filter((part) => part !== "" && part !== "." && part !== "..");
  return parts.length > 0 ? parts.join("/") : undefined;
}

/** Keeps the base name and URL-safe characters of a file name. */
export function cleanFileName(name: string | undefined): string | undefined {
  const base = name?.split(/[\\/]/).pop()?.trim();
  if (!base) return undefined;
  const cleaned = base.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "");
  return cleaned === "" ? undefined : cleaned;
}

/** Creates an empty upload store. */
export function createFileStore(now: () => number = Date.now): FileStore {
  const byPath = new Map<string, StoredFile>();
  const byId = new Map<string, StoredFile>();
  return {
    put(input) {
      const uploadPath = cleanUploadPath(input.uploadPath) ?? defaultFolder(input.mimeType);
      const originalName = input.originalName ?? input.fileName ?? "";
      const fileName = cleanFileName(input.fileName) ?? `${randomText(16)}.${extensionFor(input.mimeType)}`;
      const key = `${uploadPath}/${fileName}`;
      const previous = byPath.get(key);
      if (previous) byId.delete(previous.id);
      const uploadTime = new Date(now());
      const file: StoredFile = {
        ...hostMedia(input.bytes, input.mimeType, uploadTime),
        id: `file_${randomText(12)}`,
        fileName,
        originalName: originalName || fileName,
        uploadPath,
        uploadTime,
        expiresAt: new Date(uploadTime.getTime() + RETENTION_MS),
      };
      byPath.set(key, file);
      byId.set(file.id, file);
      return file;
    },
    byPath: (path) => byPath.get(path),
    byId: (id) => byId.get(id),
    get count() {
      return byPath.size;
    },
  };
}
