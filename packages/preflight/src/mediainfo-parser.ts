import type { ByteReader } from "./byte-reader.js";
import { MediaReadError } from "./errors.js";
import { type Track, toFacts } from "./to-facts.js";
import type { MediaFacts } from "./types.js";

/**
 * The parser: MediaInfoLib compiled to WebAssembly (mediainfo.js). It is imported on the first
 * inspection only, so an app that never inspects media never loads it (about 11 kB of JS and a
 * 2.6 MB WASM file). One instance is kept and used by one inspection at a time.
 */

/** Where to load `MediaInfoModule.wasm` from in a browser (see the README for bundlers). */
export interface ParserOptions {
  /**
   * URL of mediainfo.js's `MediaInfoModule.wasm`; by default it is looked up next to the module.
   * The parser is loaded once, so the first call that loads it decides (later values are ignored
   * unless that load failed).
   */
  wasmUrl?: string | URL;
}

/** Reads of 64 KiB: MediaInfo seeks, so small reads keep the bytes fetched close to those needed. */
const CHUNK_SIZE = 64 * 1024;

/**
 * For MP4/MOV, everything reported comes from the `moov` box, which MediaInfo reads first
 * (wherever it sits); after it, MediaInfo samples frames inside `mdat`, which measured 33 MB of a
 * 100 MB file and added nothing we report. So reads of an ISO BMFF file stop after this budget.
 * Other formats are read as MediaInfo asks (ADTS AAC needs every frame header for its length).
 */
export const ISO_BMFF_READ_BUDGET = 4 * 1024 * 1024;

const ISO_BMFF_FIRST_BOXES = new Set(["ftyp", "moov", "mdat", "free", "wide", "skip"]);

/** Whether the first bytes of a file are an ISO BMFF box header (MP4, MOV, M4A). */
function isIsoBmff(head: Uint8Array): boolean {
  if (head.length < 8) return false;
  return ISO_BMFF_FIRST_BOXES.has(String.fromCharCode(head[4] ?? 0, head[5] ?? 0, head[6] ?? 0, head[7] ?? 0));
}

interface MediaInfoInstance {
  analyzeData(size: number, read: (size: number, offset: number) => Promise<Uint8Array>): Promise<unknown>;
  close(): void;
}

let instance: Promise<MediaInfoInstance> | undefined;
let queue: Promise<unknown> = Promise.resolve();

async function loadParser(options: ParserOptions): Promise<MediaInfoInstance> {
  const { default: mediaInfoFactory } = await import("mediainfo.js");
  const wasmUrl = options.wasmUrl === undefined ? undefined : String(options.wasmUrl);
  return (await mediaInfoFactory({
    format: "object",
    // `full` adds FrameCount, which gives ADTS AAC files (no duration field) their length.
    full: true,
    chunkSize: CHUNK_SIZE,
    ...(wasmUrl === undefined ? {} : { locateFile: () => wasmUrl }),
  })) as unknown as MediaInfoInstance;
}

function parser(options: ParserOptions): Promise<MediaInfoInstance> {
  if (!instance) {
    instance = loadParser(options);
    // A failed load (e.g. a wrong wasmUrl) must not stick: the next call tries again.
    instance.catch(() => {
      instance = undefined;
    });
  }
  return instance;
}

/** Parses the bytes behind `reader` into {@link MediaFacts}. */
export async function parseMedia(reader: ByteReader, options: ParserOptions = {}): Promise<MediaFacts> {
  const run = async (): Promise<MediaFacts> => {
    const mediainfo = await parser(options);
    let failure: unknown;
    let budget = Number.POSITIVE_INFINITY;
    let bytesRead = 0;
    const result = await mediainfo.analyzeData(reader.size, async (length, offset) => {
      if (bytesRead >= budget) return new Uint8Array(0);
      try {
        const bytes = await reader.read(offset, length);
        if (offset === 0 && bytesRead === 0 && isIsoBmff(bytes)) budget = ISO_BMFF_READ_BUDGET;
        bytesRead += bytes.length;
        return bytes;
      } catch (error) {
        // MediaInfo would treat a failed read as end of data; remember it and report it instead.
        failure ??= error;
        return new Uint8Array(0);
      }
    });
    if (failure)
      throw failure instanceof MediaReadError
        ? failure
        : new MediaReadError(String(failure), undefined, { cause: failure });
    const tracks = ((result as { media?: { track?: Track[] } } | null)?.media?.track ?? []) as Track[];
    return toFacts(tracks, reader.size);
  };
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}
