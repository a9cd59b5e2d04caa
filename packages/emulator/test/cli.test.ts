import { describe, expect, it } from "vitest";
import { type CliIo, exposureWarning, runCli } from "../src/run-cli.js";

function fakeIo() {
  const io = {
    out: "",
    err: "",
    exitCode: undefined as number | undefined,
    signal: undefined as ((signal: string) => void) | undefined,
    exited: undefined as Promise<number> | undefined,
  };
  let resolveExit: (code: number) => void = () => {};
  io.exited = new Promise((resolve) => (resolveExit = resolve));
  const cli: CliIo = {
    stdout: (text) => (io.out += text),
    stderr: (text) => (io.err += text),
    onSignal: (handler) => (io.signal = handler),
    exit: (code) => {
      io.exitCode = code;
      resolveExit(code);
    },
  };
  return { io, cli };
}

describe("videoretalk-emulator", () => {
  it("prints the URL, serves with the flags, and stops cleanly on SIGINT", async () => {
    const { io, cli } = fakeIo();
    const emulator = await runCli(["--port", "0", "--speed", "50", "--api-key", "sk-cli"], cli);
    expect(emulator).toBeDefined();
    const url = io.out.trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(io.err).toContain("speed x50");
    const refused = await fetch(`${url}/api/v1/files/quota`, { headers: { Authorization: "Bearer other" } });
    expect(refused.status).toBe(401);
    const info = await (await fetch(`${url}/`)).json();
    expect(info).toMatchObject({ name: "videoretalk-emulator", speed: 50 });
    io.signal?.("SIGINT");
    expect(await io.exited).toBe(0);
    await expect(fetch(`${url}/`)).rejects.toThrow();
  });

  it("prints help, and exits 2 on bad flags", async () => {
    const help = fakeIo();
    await runCli(["--help"], help.cli);
    expect(help.io.exitCode).toBe(0);
    expect(help.io.out).toContain("--speed");
    for (const argv of [["--speed", "fast"], ["--speed", "0"], ["--bogus"], ["--port", "99999"]]) {
      const bad = fakeIo();
      expect(await runCli(argv, bad.cli)).toBeUndefined();
      expect(bad.io.exitCode, argv.join(" ")).toBe(2);
      expect(bad.io.err).toContain("videoretalk-emulator:");
    }
  });

  it("exits 1 when the port is taken", async () => {
    const first = fakeIo();
    const running = await runCli(["--port", "0"], first.cli);
    const port = new URL(first.io.out.trim()).port;
    const second = fakeIo();
    expect(await runCli(["--port", port], second.cli)).toBeUndefined();
    expect(second.io.exitCode).toBe(1);
    expect(second.io.err).toContain("EADDRINUSE");
    await running?.close();
  });

  it("takes repeatable --cors-origin and --callback-host flags", async () => {
    const { io, cli } = fakeIo();
    const emulator = await runCli(
      [
        "--port",
        "0",
        "--cors-origin",
        "http://127.0.0.1:5173",
        "--cors-origin",
        "http://localhost:3000",
        "--callback-host",
        "127.0.0.1:9",
      ],
      cli,
    );
    expect(emulator).toBeDefined();
    const url = io.out.trim();
    for (const origin of ["http://127.0.0.1:5173", "http://localhost:3000"]) {
      const answer = await fetch(`${url}/`, { headers: { Origin: origin } });
      expect(answer.headers.get("access-control-allow-origin")).toBe(origin);
    }
    expect((await fetch(`${url}/`, { headers: { Origin: "http://evil.example" } })).status).toBe(403);
    expect(io.err).not.toContain("warning");
    await emulator?.close();
    expect(cli).toBeDefined();
    const bad = fakeIo();
    await runCli(["--port", "0", "--callback-host", "example.com"], bad.cli);
    expect(bad.io.exitCode).toBe(2);
    expect(bad.io.err).toContain("loopback");
  });

  it("warns on stderr when bound to every interface without --api-key", async () => {
    const open = fakeIo();
    const exposed = await runCli(["--port", "0", "--host", "0.0.0.0"], open.cli);
    expect(open.io.err).toMatch(/^warning: listening on 0\.0\.0\.0 \(every interface\) without --api-key/m);
    await exposed?.close();
    const keyed = fakeIo();
    const guarded = await runCli(["--port", "0", "--host", "0.0.0.0", "--api-key", "sk-x"], keyed.cli);
    expect(keyed.io.err).not.toContain("warning");
    await guarded?.close();
    expect(exposureWarning("::", undefined)).toContain("without --api-key");
    expect(exposureWarning("127.0.0.1", undefined)).toBeUndefined();
    expect(exposureWarning(undefined, undefined)).toBeUndefined();
  });
});
