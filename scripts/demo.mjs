#!/usr/bin/env node
// The offline quick start (until the emulator lands): starts Prism from spec/, creates a
// lip-sync task with @videoretalk/core, reads it back, and writes the task JSON to .demo-output/.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createVideoRetalk } from "@videoretalk/core";
import { repoRoot, startPrismMock } from "./prism.mjs";

const prism = await startPrismMock();
try {
  const client = createVideoRetalk({ apiKey: "demo-key-not-secret", baseUrl: prism.url });
  const created = await client.lipSync.create({
    video_url: "https://example.com/speaker.mp4",
    audio_url: "https://example.com/target-speech.wav",
  });
  console.log(`created task ${created.id} (${created.status}, ${created.usage?.credits_reserved} credits reserved)`);
  const task = await client.tasks.get(created.id, { headers: { Prefer: "example=completed" } });
  console.log(`task ${task.id}: ${task.status}, result ${task.results?.[0]}`);
  const outDir = join(repoRoot, ".demo-output");
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, "task.json"), `${JSON.stringify(task, null, 2)}\n`);
  console.log(`wrote ${join(".demo-output", "task.json")}`);
} finally {
  await prism.stop();
}
