import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Emulator, startEmulator } from "@videoretalk/emulator";
// The one Redis launcher of the repository (a real redis-server on a free loopback port).
import { type RunningRedis, startRedis } from "@videoretalk/test-support/redis-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli, spawnCli } from "../support/built-cli.js";
import { SPEAKER_MP4, SPEECH_WAV } from "../support/fixtures.js";
import { tempDirs } from "../support/temp-dir.js";

describe("videoretalk worker + videoretalk batch --redis", () => {
  let redis: RunningRedis;
  let emulator: Emulator;
  const dirs = tempDirs();

  beforeAll(async () => {
    redis = await startRedis();
    emulator = await startEmulator({ speed: 200 });
  });
  afterAll(async () => {
    await emulator?.close();
    await redis?.close();
    await dirs.removeAll();
  });

  it("runs a manifest through the queue, re-runs as a no-op, and the worker stops cleanly on SIGTERM", async () => {
    const dir = await dirs.make();
    const sample = readFileSync(SPEAKER_MP4);
    const rows = ["id,video,audio"];
    for (const id of ["one", "two", "three"]) {
      writeFileSync(join(dir, `${id}.mp4`), Buffer.concat([sample, Buffer.from(id)]));
      rows.push(`${id},${id}.mp4,${SPEECH_WAV}`);
    }
    writeFileSync(join(dir, "jobs.csv"), `${rows.join("\n")}\n`);
    const env = cliEnv(emulator.url);
    const worker = spawnCli(["worker", "--redis", redis.url, "--queue", "cli"], { env });
    await worker.waitForStderr(/worker on queue cli/);

    const args = [
      "batch",
      join(dir, "jobs.csv"),
      "--out-dir",
      join(dir, "out"),
      "--redis",
      redis.url,
      "--queue",
      "cli",
    ];
    const first = await runCli([...args, "--json"], { env });
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary.totals).toMatchObject({ jobs: 3, downloaded: 3, failed: 0 });
    for (const id of ["one", "two", "three"]) {
      expect(readFileSync(join(dir, "out", `${id}.mp4`)).equals(Buffer.concat([sample, Buffer.from(id)]))).toBe(true);
    }

    const again = await runCli(args, { env });
    expect(again.code).toBe(0);
    expect(emulator.stats().createsAccepted).toBe(3);

    worker.child.kill("SIGTERM");
    const stopped = await worker.done;
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toMatch(/stopped: every job in flight is checkpointed/);
  });

  it("refuses flags that do not apply with --redis, and a bad Redis URL, before anything is sent (exit 2)", async () => {
    const dir = await dirs.make();
    writeFileSync(join(dir, "jobs.csv"), `id,video,audio\na,${SPEAKER_MP4},${SPEECH_WAV}\n`);
    const env = cliEnv(emulator.url);
    const limited = await runCli(
      ["batch", join(dir, "jobs.csv"), "--out-dir", join(dir, "out"), "--redis", redis.url, "--max-credits", "5"],
      { env },
    );
    expect(limited.code).toBe(2);
    expect(limited.stderr).toMatch(/--max-credits does not apply with --redis/);
    const badUrl = await runCli(["worker", "--redis", "http://127.0.0.1:6379"], { env });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/--redis: .*redis:\/\/ or rediss:\/\//);
  });
});
