import { readFileSync } from "node:fs";

/**
 * The sample media shipped in fixtures/ (made by scripts/make-fixtures.sh) and small helpers to
 * describe media bytes. The emulator never decodes or re-encodes anything.
 */

/** A file the emulator serves: bytes plus what HTTP needs to describe them. */
export interface HostedMedia {
  bytes: Buffer;
  mimeType: string;
  /** Strong validator for Range/If-Range, derived from the content. */
  etag: string;
  lastModified: Date;
}

/** Sample names served under `/samples/`. */
export const SAMPLE_NAMES = ["speaker.mp4", "speech.wav"] as const;
/** A sample name served under `/samples/`. */
export type SampleName = (typeof SAMPLE_NAMES)[number];

const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  mp4: "video/mp4",
  m4v: "video/mp4",
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
  opus: "audio/opus",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
};

/** The MIME type for a file name's extension, or `application/octet-stream`. */
export function mimeTypeFor(fileName: string): string {
  const extension = fileName.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  return (extension && MIME_BY_EXTENSION[extension]) || "application/octet-stream";
}

/** A usual file extension (without dot) for a MIME type, or `bin`. */
export function extensionFor(mimeType: string): string {
  const base = mimeType.split(";")[0]?.trim().toLowerCase();
  const found = Object.entries(MIME_BY_EXTENSION).find(([, type]) => type === base);
  return found ? found[0] : "bin";
}

let etagCounter = 0;

/** Wraps bytes as hosted media with a fresh validator. */
export function hostMedia(bytes: Buffer, mimeType: string, lastModified = new Date()): HostedMedia {
  etagCounter += 1;
  const etag = `"${bytes.length.toString(16)}-${lastModified.getTime().toString(16)}-${etagCounter.toString(16)}"`;
  return { bytes, mimeType, etag, lastModified };
}

let samples: Map<SampleName, HostedMedia> | undefined;

/** The shipped samples, read once from fixtures/ next to the built (or source) module. */
export function loadSamples(): Map<SampleName, HostedMedia> {
  if (!samples) {
    const directory = new URL("../fixtures/", import.meta.url);
    const loaded = new Map<SampleName, HostedMedia>();
    for (const name of SAMPLE_NAMES) {
      loaded.set(name, hostMedia(readFileSync(new URL(name, directory)), mimeTypeFor(name)));
    }
    samples = loaded;
  }
  return samples;
}

/** The shipped sample for a name. */
export function sample(name: SampleName): HostedMedia {
  const found = loadSamples().get(name);
  if (!found) throw new Error(`The emulator's sample ${name} is missing from fixtures/.`);
  return found;
}

/**
 * The duration in seconds of an MP4/MOV (ISO BMFF) file, read from its `moov/mvhd` box, or
 * `undefined` for anything else.
 */
export function mp4DurationS(bytes: Buffer): number | undefined {
  const moov = findBox(bytes, 0, bytes.length, "moov");
  if (!moov) return undefined;
  const mvhd = findBox(bytes, moov.start, moov.end, "mvhd");
  if (!mvhd || mvhd.end - mvhd.start < 32) return undefined;
  const version = bytes.readUInt8(mvhd.start);
  const timescale = bytes.readUInt32BE(mvhd.start + (version === 1 ? 20 : 12));
  const duration = version === 1 ? Number(bytes.readBigUInt64BE(mvhd.start + 24)) : bytes.readUInt32BE(mvhd.start + 16);
  return timescale > 0 ? duration / timescale : undefined;
}

/** Finds a child box of `type` between `from` and `to`; returns its payload range. */
function findBox(bytes: Buffer, from: number, to: number, type: string): { start: number; end: number } | undefined {
  let offset = from;
  while (offset + 8 <= to) {
    let size = bytes.readUInt32BE(offset);
    let header = 8;
    if (size === 1) {
      if (offset + 16 > to) return undefined;
      size = Number(bytes.readBigUInt64BE(offset + 8));
      header = 16;
    } else if (size === 0) {
      size = to - offset;
    }
    if (size < header || offset + size > to) return undefined;
    if (bytes.toString("latin1", offset + 4, offset + 8) === type) {
      return { start: offset + header, end: offset + size };
    }
    offset += size;
  }
  return undefined;
}
