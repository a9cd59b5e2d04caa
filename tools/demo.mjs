#!/usr/bin/env node
// The offline quick start: starts the local emulator, runs `videoretalk lipsync` on the sample
// media shipped with it (upload → create → progress → download), and writes the result to
// .demo-output/ (git-ignored). No API key, no network.
import { spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator } from "@videoretalk/emulator";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const fixtures = join(root, "packages/emulator/fixtures");
const outDir = join(root, ".demo-output");
const cli = join(root, "packages/cli/dist/main.js");

await mkdir(outDir, { recursive: true });
// speed 15: a task the emulator would run for 30–60 s finishes in 2–4 s.
const emulator = await startEmulator({ speed: 15 });
console.error(`emulator listening on ${emulator.url}`);
let code = 1;
try {
  const args = [
    cli,
    "lipsync",
    "--video",
    relative(root, join(fixtures, "speaker.mp4")),
    "--audio",
    relative(root, join(fixtures, "speech.wav")),
    "--out",
    relative(root, join(outDir, "lipsync-result.mp4")),
  ];
  console.error(`$ videoretalk ${args.slice(1).join(" ")}`);
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      EVOLINK_API_KEY: "demo-key-not-secret",
      EVOLINK_BASE_URL: emulator.url,
      EVOLINK_FILES_BASE_URL: emulator.url,
    },
  });
  code = await new Promise((done) => child.on("exit", (exitCode) => done(exitCode ?? 1)));
} finally {
  await emulator.close();
}
process.exitCode = code;
