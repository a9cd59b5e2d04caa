/** Options of {@link createEmulatorHandlers} and how they are read. */

/** Options of `createEmulatorHandlers`. */
export interface EmulatorHandlersOptions {
  /**
   * The origin (and path prefix) your client calls: the API, or your proxy's mount point, e.g.
   * `"https://app.example/api/videoretalk"`. Default `https://api.evolink.ai`.
   */
  baseUrl?: string;
  /**
   * Emulated seconds per real second, as in `startEmulator`: at 1 a task takes 30–60 s, at 100
   * 0.3–0.6 s. Default 1.
   */
  speed?: number;
  /**
   * The clock the tasks' timelines read, in milliseconds. Default `Date.now`, so a fake clock
   * that mocks `Date.now` (vitest's `vi.useFakeTimers()`, test-support's FakeClock) moves the
   * tasks too; pass your own to step them by hand.
   */
  now?: () => number;
  /** Picks task durations (in [0, 1)); pass `() => 0` for the shortest, 30 emulated seconds. */
  random?: () => number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (else 401). Default: no check, as behind a proxy. */
  apiKey?: string;
  /** The bytes served as every task's result. Default: a 24-byte MP4 header (not playable). */
  result?: { bytes: Uint8Array; contentType?: string };
  /** `task_info.video_duration` of every task, in seconds (billing: 40 credits per second). Default 12. */
  videoDurationS?: number;
  /** Waits for `slow:<ms>` scenarios. Default `setTimeout`. */
  sleep?: (ms: number) => Promise<void>;
}

/** The options with defaults applied. */
export interface ResolvedHandlersOptions {
  baseUrl: string;
  speed: number;
  now: () => number;
  random: () => number;
  apiKey: string | undefined;
  result: { bytes: Uint8Array; contentType: string };
  videoDurationS: number;
  sleep: (ms: number) => Promise<void>;
}

/** `ftyp isom`: enough for a sniffing check, not a playable video. */
const MP4_HEADER = new Uint8Array([
  0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 2, 0, 0x69, 0x73, 0x6f, 0x6d, 0x6d, 0x70, 0x34,
  0x31,
]);

/** Applies defaults and checks the options, naming the bad one. */
export function resolveOptions(options: EmulatorHandlersOptions = {}): ResolvedHandlersOptions {
  const speed = options.speed ?? 1;
  if (typeof speed !== "number" || !Number.isFinite(speed) || speed <= 0) {
    throw new RangeError(`speed must be a positive number, got ${String(options.speed)}.`);
  }
  const baseUrl = new URL(options.baseUrl ?? "https://api.evolink.ai").href.replace(/\/+$/, "");
  const videoDurationS = options.videoDurationS ?? 12;
  if (!Number.isInteger(videoDurationS) || videoDurationS < 1) {
    throw new RangeError(`videoDurationS must be a positive integer, got ${String(options.videoDurationS)}.`);
  }
  return {
    baseUrl,
    speed,
    now: options.now ?? (() => Date.now()),
    random: options.random ?? Math.random,
    apiKey: options.apiKey,
    result: {
      bytes: options.result?.bytes ?? MP4_HEADER,
      contentType: options.result?.contentType ?? "video/mp4",
    },
    videoDurationS,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
}
