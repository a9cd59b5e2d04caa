import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Emulator, type EmulatorOptions, startEmulator } from "@videoretalk/emulator";
// The one Redis launcher of the repository (a real redis-server on a free loopback port).
import { type RunningRedis, startRedis } from "@videoretalk/test-support/redis-server";
import { afterAll, beforeAll } from "vitest";
import { cliEnv } from "./built-cli.js";
import { SPEAKER_MP4, SPEECH_WAV } from "./fixtures.js";
import { tempDirs } from "./temp-dir.js";

/** What the `--redis` scenario tests share: a real Redis, an emulator, temp folders and the CLI's env. */
export interface RedisWithEmulator {
  /** The redis-server of this file; read it inside a test (it starts in `beforeAll`). */
  readonly redis: RunningRedis;
  /** The emulator of this file; read it inside a test (it starts in `beforeAll`). */
  readonly emulator: Emulator;
  readonly dirs: ReturnType<typeof tempDirs>;
  /** The CLI's environment pointed at the emulator, plus `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
}

/**
 * Registers `beforeAll`/`afterAll` hooks in the calling `describe` that start one redis-server and
 * one emulator (speed 200, plus `emulatorOptions()`, read when it starts so it may use values set
 * by earlier `beforeAll` hooks) and close them and the temp folders afterwards.
 */
export function redisWithEmulator(emulatorOptions: () => EmulatorOptions = () => ({})): RedisWithEmulator {
  let redis: RunningRedis | undefined;
  let emulator: Emulator | undefined;
  const dirs = tempDirs();
  beforeAll(async () => {
    redis = await startRedis();
    emulator = await startEmulator({ speed: 200, ...emulatorOptions() });
  });
  afterAll(async () => {
    await emulator?.close();
    await redis?.close();
    await dirs.removeAll();
  });
  const started = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`the ${name} starts in beforeAll: read it inside a test`);
    return value;
  };
  return {
    get redis() {
      return started(redis, "redis-server");
    },
    get emulator() {
      return started(emulator, "emulator");
    },
    dirs,
    env: (extra = {}) => cliEnv(started(emulator, "emulator").url, extra),
  };
}

/**
 * Writes `<id>.mp4` for each id into `dir` (the speaker sample with the id appended, so every
 * video has its own content and upload) and a `jobs.csv` pairing each with the speech sample.
 * Returns the bytes written for each id.
 */
export function writeDistinctVideoManifest(dir: string, ids: readonly string[]): Map<string, Buffer> {
  const sample = readFileSync(SPEAKER_MP4);
  const videos = new Map<string, Buffer>();
  const rows = ["id,video,audio"];
  for (const id of ids) {
    const video = Buffer.concat([sample, Buffer.from(id)]);
    writeFileSync(join(dir, `${id}.mp4`), video);
    videos.set(id, video);
    rows.push(`${id},${id}.mp4,${SPEECH_WAV}`);
  }
  writeFileSync(join(dir, "jobs.csv"), `${rows.join("\n")}\n`);
  return videos;
}
