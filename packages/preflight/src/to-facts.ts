import type { MediaFacts, MediaKind } from "./types.js";

/** Turns MediaInfo's tracks (its `object` output) into {@link MediaFacts}. */

/** One MediaInfo track: `@type` plus fields, numbers as numbers or strings. */
export type Track = Record<string, unknown> & { "@type"?: string };

function num(value: unknown): number | undefined {
  const parsed = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Container names as the limits table spells them. */
function containerName(general: Track | undefined, hasVideo: boolean): string {
  const format = text(general?.Format);
  if (!format) return "unknown";
  switch (format) {
    case "MPEG-4": {
      const profile = `${text(general?.Format_Profile) ?? ""} ${text(general?.CodecID) ?? ""}`;
      if (/QuickTime|qt/.test(profile)) return "mov";
      return hasVideo ? "mp4" : "m4a";
    }
    case "QuickTime":
      return "mov";
    case "AVI":
      return "avi";
    case "Wave":
      return "wav";
    case "MPEG Audio":
      return "mp3";
    case "ADTS":
      return "aac";
    case "JPEG":
      return "jpeg";
    case "Bitmap":
      return "bmp";
    case "Matroska":
      return "mkv";
    default:
      return format.toLowerCase();
  }
}

function videoCodecName(format: string | undefined): string | undefined {
  if (format === "AVC") return "h264";
  if (format === "HEVC") return "h265";
  if (format === "MPEG-4 Visual") return "mpeg4";
  return format?.toLowerCase();
}

function audioCodecName(track: Track | undefined): string | undefined {
  const format = text(track?.Format);
  if (format === "MPEG Audio") return text(track?.Format_Profile) === "Layer 2" ? "mp2" : "mp3";
  return format?.toLowerCase();
}

/** Seconds from a track's Duration, else from FrameCount × samples per frame (ADTS AAC). */
function trackDuration(track: Track | undefined): number | undefined {
  if (!track) return undefined;
  const duration = num(track.Duration);
  if (duration !== undefined) return duration;
  const frames = num(track.FrameCount);
  const rate = num(track.FrameRate);
  return frames !== undefined && rate ? frames / rate : undefined;
}

function kindOf(video: Track | undefined, audio: Track | undefined, image: Track | undefined): MediaKind {
  if (video) return "video";
  if (audio) return "audio";
  if (image) return "image";
  return "unknown";
}

/** Builds the facts from MediaInfo's tracks and the source's size. */
export function toFacts(tracks: readonly Track[], sizeBytes: number): MediaFacts {
  const byType = (type: string) => tracks.find((track) => track["@type"] === type);
  const general = byType("General");
  const video = byType("Video");
  const audio = byType("Audio");
  const image = video ? undefined : byType("Image");
  const kind = kindOf(video, audio, image);
  if (kind === "unknown") return { kind, container: "unknown", durationS: 0, sizeBytes };

  const facts: MediaFacts = {
    kind,
    container: containerName(general, video !== undefined),
    durationS: 0,
    sizeBytes,
  };
  if (kind !== "image") {
    const durations = [trackDuration(general), trackDuration(video), trackDuration(audio)];
    facts.durationS = durations.find((value) => value !== undefined) ?? 0;
  }
  const picture = video ?? image;
  const width = num(picture?.Width);
  const height = num(picture?.Height);
  if (width !== undefined) facts.width = width;
  if (height !== undefined) facts.height = height;
  if (video) {
    const frames = num(video.FrameCount);
    const videoDuration = trackDuration(video);
    const fps = num(video.FrameRate) ?? (frames && videoDuration ? frames / videoDuration : undefined);
    if (fps !== undefined) facts.fps = Math.round(fps * 1000) / 1000;
    const codec = videoCodecName(text(video.Format));
    if (codec) facts.videoCodec = codec;
  }
  const audioCodec = audioCodecName(audio);
  if (audioCodec) facts.audioCodec = audioCodec;
  return facts;
}
