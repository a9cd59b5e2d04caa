import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, spawnCli } from "../support/built-cli.js";
import { SPEAKER_MP4, SPEECH_WAV } from "../support/fixtures.js";
import { redisWithEmulator, writeDistinctVideoManifest } from "../support/redis-emulator.js";

describe("videoretalk worker + videoretalk batch --redis", () => {
  const stack = redisWithEmulator();

  it("runs a manifest through the queue, re-runs as a no-op, and the worker stops cleanly on SIGTERM", async () => {
    const dir = await stack.dirs.make();
    const videos = writeDistinctVideoManifest(dir, ["one", "two", "three"]);
    const env = stack.env();
    const worker = spawnCli(["worker", "--redis", stack.redis.url, "--queue", "cli"], { env });
    await worker.waitForStderr(/worker on queue cli/);

    const args = [
      "batch",
      join(dir, "jobs.csv"),
      "--out-dir",
      join(dir, "out"),
      "--redis",
      stack.redis.url,
      "--queue",
      "cli",
    ];
    const first = await runCli([...args, "--json"], { env });
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary.totals).toMatchObject({ jobs: 3, downloaded: 3, failed: 0 });
    for (const [id, video] of videos) expect(readFileSync(join(dir, "out", `${id}.mp4`)).equals(video)).toBe(true);

    const again = await runCli(args, { env });
    expect(again.code).toBe(0);
    expect(stack.emulator.stats().createsAccepted).toBe(3);

    worker.child.kill("SIGTERM");
    const stopped = await worker.done;
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toMatch(/stopped: every job in flight is checkpointed/);
  });

  it("refuses flags that do not apply with --redis, and a bad Redis URL, before anything is sent (exit 2)", async () => {
    const dir = await stack.dirs.make();
    writeFileSync(join(dir, "jobs.csv"), `id,video,audio\na,${SPEAKER_MP4},${SPEECH_WAV}\n`);
    const env = stack.env();
    const limited = await runCli(
      ["batch", join(dir, "jobs.csv"), "--out-dir", join(dir, "out"), "--redis", stack.redis.url, "--max-credits", "5"],
      { env },
    );
    expect(limited.code).toBe(2);
    expect(limited.stderr).toMatch(/--max-credits does not apply with --redis/);
    const badUrl = await runCli(["worker", "--redis", "http://127.0.0.1:6379"], { env });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/--redis: .*redis:\/\/ or rediss:\/\//);
  });
});
