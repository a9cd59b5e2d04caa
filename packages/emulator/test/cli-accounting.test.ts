import { describe, expect, it } from "vitest";
import { type CliIo, runCli } from "../src/run-cli.js";

function fakeIo() {
  let out = "";
  let exitCode: number | undefined;
  let stop: ((signal: string) => void) | undefined;
  const cli: CliIo = {
    stdout: (text) => {
      out += text;
    },
    stderr: () => {},
    onSignal: (handler) => {
      stop = handler;
    },
    exit: (code) => {
      exitCode = code;
    },
  };
  return { cli, out: () => out, exitCode: () => exitCode, stop: () => stop?.("SIGTERM") };
}

const auth = { Authorization: "Bearer sk-cli" };

describe("videoretalk-emulator --credits / --creates-per-second / --max-running", () => {
  it("starts with that balance and rate limit, visible through /v1/credits and /__emulator/stats", async () => {
    const io = fakeIo();
    const emulator = await runCli(
      ["--port", "0", "--credits", "1000000", "--creates-per-second", "0.01", "--max-running", "5"],
      io.cli,
    );
    expect(emulator).toBeDefined();
    const url = io.out().trim();
    try {
      const before = await (await fetch(`${url}/v1/credits`, { headers: auth })).json();
      expect(before.data.user).toEqual({ remaining_credits: 1_000_000, used_credits: 0 });

      const body = JSON.stringify({
        model: "videoretalk",
        video_url: `${url}/samples/speaker.mp4`,
        audio_url: `${url}/samples/speech.wav`,
      });
      const post = () =>
        fetch(`${url}/v1/videos/generations`, {
          method: "POST",
          headers: { ...auth, "Content-Type": "application/json" },
          body,
        });
      const created = await post();
      expect(created.status).toBe(200);
      const reserved = (await created.json()).usage.credits_reserved;
      // 0.01 creates per second: the next slot is ~100 s away.
      const limited = await post();
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(90);
      expect(retryAfter).toBeLessThanOrEqual(100);

      const after = await (await fetch(`${url}/v1/credits`, { headers: auth })).json();
      expect(after.data.user.remaining_credits).toBe(1_000_000 - reserved);
      const stats = await (await fetch(`${url}/__emulator/stats`)).json();
      expect(stats).toMatchObject({ createsAccepted: 1, createsRateLimited: 1 });
    } finally {
      await emulator?.close();
    }
  });

  it.each([
    ["--credits", "-5"],
    ["--credits", "lots"],
    ["--creates-per-second", "0"],
    ["--max-running", "1.5"],
  ])("exits 2 on %s %s", async (flag, value) => {
    const io = fakeIo();
    expect(await runCli(["--port", "0", flag, value], io.cli)).toBeUndefined();
    expect(io.exitCode()).toBe(2);
  });
});
