/**
 * A small, self-contained probe of the media the emulator hosts: MP4/MOV (ISO BMFF boxes) and
 * WAV (RIFF chunks). It reads only header fields, never decodes, and answers `undefined` for
 * anything else, which the emulator then does not judge.
 */

/** What the probe found. Absent fields could not be read. */
export interface ProbedMedia {
  container: "mp4" | "wav";
  durationS?: number;
  width?: number;
  height?: number;
  fps?: number;
  /** `h264`, `h265`, or the sample entry's four-character code. */
  videoCodec?: string;
  sizeBytes: number;
}

interface Box {
  type: string;
  start: number;
  end: number;
}

/** The child boxes between `from` and `to`. */
function boxes(bytes: Buffer, from: number, to: number): Box[] {
  const found: Box[] = [];
  let offset = from;
  while (offset + 8 <= to) {
    let size = bytes.readUInt32BE(offset);
    let header = 8;
    if (size === 1) {
      if (offset + 16 > to) break;
      size = Number(bytes.readBigUInt64BE(offset + 8));
      header = 16;
    } else if (size === 0) {
      size = to - offset;
    }
    if (size < header || offset + size > to) break;
    found.push({ type: bytes.toString("latin1", offset + 4, offset + 8), start: offset + header, end: offset + size });
    offset += size;
  }
  return found;
}

function child(bytes: Buffer, parent: Box | undefined, path: string[]): Box | undefined {
  let current = parent;
  for (const type of path) {
    if (!current) return undefined;
    current = boxes(bytes, current.start, current.end).find((box) => box.type === type);
  }
  return current;
}

/** Timescale and duration of an `mvhd` or `mdhd` payload. */
function timing(bytes: Buffer, box: Box | undefined): number | undefined {
  if (!box || box.end - box.start < 24) return undefined;
  const v1 = bytes.readUInt8(box.start) === 1;
  const timescale = bytes.readUInt32BE(box.start + (v1 ? 20 : 12));
  const duration = v1 ? Number(bytes.readBigUInt64BE(box.start + 24)) : bytes.readUInt32BE(box.start + 16);
  return timescale > 0 ? duration / timescale : undefined;
}

const CODECS: Readonly<Record<string, string>> = { avc1: "h264", avc3: "h264", hvc1: "h265", hev1: "h265" };

function probeVideoTrack(bytes: Buffer, trak: Box, result: ProbedMedia): void {
  const tkhd = child(bytes, trak, ["tkhd"]);
  if (tkhd && tkhd.end - tkhd.start >= 8) {
    // The last 8 bytes of tkhd are width and height in 16.16 fixed point.
    result.width = bytes.readUInt32BE(tkhd.end - 8) >>> 16;
    result.height = bytes.readUInt32BE(tkhd.end - 4) >>> 16;
  }
  const trackS = timing(bytes, child(bytes, trak, ["mdia", "mdhd"]));
  const stbl = child(bytes, trak, ["mdia", "minf", "stbl"]);
  const stsd = child(bytes, stbl, ["stsd"]);
  if (stsd && stsd.end - stsd.start >= 16) {
    const fourcc = bytes.toString("latin1", stsd.start + 12, stsd.start + 16);
    result.videoCodec = CODECS[fourcc] ?? fourcc;
  }
  const stsz = child(bytes, stbl, ["stsz"]);
  if (stsz && stsz.end - stsz.start >= 12 && trackS) {
    result.fps = bytes.readUInt32BE(stsz.start + 8) / trackS;
  }
}

function probeMp4(bytes: Buffer): ProbedMedia | undefined {
  const top = boxes(bytes, 0, bytes.length);
  const moov = top.find((box) => box.type === "moov");
  if (!moov || top[0]?.type !== "ftyp") return undefined;
  const result: ProbedMedia = { container: "mp4", sizeBytes: bytes.length };
  const durationS = timing(bytes, child(bytes, moov, ["mvhd"]));
  if (durationS !== undefined) result.durationS = durationS;
  for (const trak of boxes(bytes, moov.start, moov.end).filter((box) => box.type === "trak")) {
    const hdlr = child(bytes, trak, ["mdia", "hdlr"]);
    if (hdlr && hdlr.end - hdlr.start >= 12 && bytes.toString("latin1", hdlr.start + 8, hdlr.start + 12) === "vide") {
      probeVideoTrack(bytes, trak, result);
      break;
    }
  }
  return result;
}

function probeWav(bytes: Buffer): ProbedMedia | undefined {
  if (bytes.length < 12 || bytes.toString("latin1", 0, 4) !== "RIFF" || bytes.toString("latin1", 8, 12) !== "WAVE") {
    return undefined;
  }
  let byteRate: number | undefined;
  let dataBytes: number | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString("latin1", offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === "fmt " && offset + 20 <= bytes.length) byteRate = bytes.readUInt32LE(offset + 16);
    if (id === "data") dataBytes = Math.min(size, bytes.length - offset - 8);
    offset += 8 + size + (size % 2);
  }
  const result: ProbedMedia = { container: "wav", sizeBytes: bytes.length };
  if (byteRate && dataBytes !== undefined) result.durationS = dataBytes / byteRate;
  return result;
}

/** Probes hosted bytes; `undefined` for formats the probe does not read. */
export function probeMedia(bytes: Buffer): ProbedMedia | undefined {
  return probeMp4(bytes) ?? probeWav(bytes);
}
