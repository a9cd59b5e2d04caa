import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_JOURNAL_NAME, jobIdempotencyKey } from "@videoretalk/batch";
import { type Emulator, startEmulator } from "@videoretalk/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli, spawnCli } from "../support/built-cli.js";
import { SPEAKER_MP4, SPEECH_WAV } from "../support/fixtures.js";
import { TASK_ID, tempDirs } from "../support/temp-dir.js";

// `videoretalk batch` as a user runs it: the built binary against the emulator.
let emulator: Emulator;
const dirs = tempDirs();

beforeAll(async () => {
  emulator = await startEmulator({ speed: 200 });
});
afterAll(async () => {
  await emulator.close();
  await dirs.removeAll();
});

function csv(rows: string[][]): string {
  return `${rows.map((row) => row.join(",")).join("\n")}\n`;
}

async function catalogue(rows: string[][]): Promise<{ cwd: string; manifest: string }> {
  const cwd = await dirs.make();
  const manifest = join(cwd, "catalogue.csv");
  await writeFile(manifest, csv(rows));
  return { cwd, manifest };
}

async function result(taskId: string): Promise<Buffer> {
  return Buffer.from(await (await fetch(`${emulator.url}/results/${taskId}.mp4`)).arrayBuffer());
}

describe("videoretalk batch", () => {
  it("runs a CSV catalogue: one line per state change off a TTY, a summary, exit 0; a re-run does nothing", async () => {
    const sample = `${emulator.url}/samples/speaker.mp4`;
    const { cwd } = await catalogue([
      ["id", "video", "audio", "query_face_threshold"],
      ["local-de", SPEAKER_MP4, SPEECH_WAV, "150"],
      ["remote-fr", sample, `${emulator.url}/samples/speech.wav`, ""],
    ]);
    const before = emulator.stats().tasks.length;
    const run = await runCli(["batch", "catalogue.csv", "--out-dir", "out"], { env: cliEnv(emulator.url), cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`local-de created ${TASK_ID.source}`));
    expect(run.stderr).toMatch(/remote-fr downloaded/);
    expect(run.stdout).toMatch(/2\/2 downloaded, 0 failed/);
    const local = await readFile(join(cwd, "out", "local-de.mp4"));
    expect(local.equals(await readFile(SPEAKER_MP4))).toBe(true);
    expect(emulator.stats().tasks.length - before).toBe(2);

    const again = await runCli(["batch", "catalogue.csv", "--out-dir", "out", "--json"], {
      env: cliEnv(emulator.url),
      cwd,
    });
    expect(again.code, again.stderr).toBe(0);
    const summary = JSON.parse(again.stdout);
    expect(summary.totals).toMatchObject({ downloaded: 2, createCalls: 0 });
    expect(summary.jobs.map((job: { id: string; status: string }) => [job.id, job.status])).toEqual([
      ["local-de", "downloaded"],
      ["remote-fr", "downloaded"],
    ]);
    expect(again.stderr).toBe("");
    expect(emulator.stats().tasks.length - before).toBe(2);
    for (const job of summary.jobs)
      expect((await readFile(job.output.path)).equals(await result(job.task_id))).toBe(true);
  });

  it("exits 1 for a failed task, with its code in the summary and the journal", async () => {
    const { cwd } = await catalogue([
      ["id", "video", "audio"],
      ["ok", `${emulator.url}/samples/speaker.mp4`, `${emulator.url}/samples/speech.wav`],
      [
        "bad",
        `${emulator.url}/samples/speaker.mp4?scenario=fail:content_policy_violation`,
        `${emulator.url}/samples/speech.wav`,
      ],
    ]);
    const run = await runCli(["batch", "catalogue.csv", "--out-dir", "out", "--json"], {
      env: cliEnv(emulator.url),
      cwd,
    });
    expect(run.code, run.stderr).toBe(1);
    const summary = JSON.parse(run.stdout);
    expect(summary.jobs[1]).toMatchObject({ id: "bad", status: "failed", error: { code: "content_policy_violation" } });
    const journal = await readFile(join(cwd, "out", DEFAULT_JOURNAL_NAME), "utf8");
    expect(journal).toContain('"status":"failed","error":{"code":"content_policy_violation"');
  });

  it("an invalid manifest exits 2 listing every bad row and field, before anything is uploaded or created", async () => {
    const { cwd } = await catalogue([
      ["id", "video", "audio", "query_face_threshold"],
      ["a", SPEAKER_MP4, SPEECH_WAV, "300"],
      ["b", "missing.mp4", SPEECH_WAV, ""],
      ["a", SPEAKER_MP4, SPEECH_WAV, ""],
    ]);
    const before = emulator.stats();
    const run = await runCli(["batch", "catalogue.csv", "--out-dir", "out"], { env: cliEnv(emulator.url), cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('line 2 (id "a"), query_face_threshold');
    expect(run.stderr).toContain('line 3 (id "b"), video: no such file: missing.mp4');
    expect(run.stderr).toContain('line 4 (id "a"), id: duplicate id "a" (first on line 2)');
    const after = emulator.stats();
    expect(after.tasks.length).toBe(before.tasks.length);
    expect(after.createsAccepted + after.createsReplayed).toBe(before.createsAccepted + before.createsReplayed);

    const json = await runCli(["batch", "catalogue.csv", "--out-dir", "out", "--json"], {
      env: cliEnv(emulator.url),
      cwd,
    });
    expect(json.code).toBe(2);
    expect(
      JSON.parse(json.stdout).error.problems.map(
        (p: { line: number; id: string; field: string }) => `${p.line}:${p.id}:${p.field}`,
      ),
    ).toEqual(["2:a:query_face_threshold", "3:b:video", "4:a:id"]);
    const flags = await runCli(["batch", "catalogue.csv", "--out-dir", "out", "--concurrency", "0"], {
      env: cliEnv(emulator.url),
      cwd,
    });
    expect(flags.code).toBe(2);
    expect(flags.stderr).toContain("--concurrency must be a positive integer");
  });

  it("--dry-run prints what would be uploaded, created and skipped, and sends nothing", async () => {
    const { cwd } = await catalogue([
      ["id", "video", "audio"],
      ["one", SPEAKER_MP4, `${emulator.url}/samples/speech.wav`],
      ["two", `${emulator.url}/samples/speaker.mp4`, `${emulator.url}/samples/speech.wav`],
    ]);
    const done = await runCli(["batch", "catalogue.csv", "--out-dir", "out"], { env: cliEnv(emulator.url), cwd });
    expect(done.code, done.stderr).toBe(0);
    await writeFile(
      join(cwd, "catalogue.csv"),
      csv([
        ["id", "video", "audio"],
        ["one", SPEAKER_MP4, `${emulator.url}/samples/speech.wav`],
        ["two", `${emulator.url}/samples/speaker.mp4`, `${emulator.url}/samples/speech.wav`],
        ["three", SPEAKER_MP4, SPEECH_WAV],
      ]),
    );
    const before = emulator.stats().tasks.length;
    const dry = await runCli(["batch", "catalogue.csv", "--out-dir", "out", "--dry-run"], {
      env: { PATH: process.env.PATH ?? "" },
      cwd,
    });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('line 2 (id "one"): skip (already downloaded, checksum valid)');
    expect(dry.stdout).toMatch(/line 4 \(id "three"\): upload, then create \[upload .*speaker\.mp4, .*speech\.wav\]/);
    expect(dry.stdout).toContain("would upload 2 files, create 1 tasks, wait for 0, skip 2");
    expect(emulator.stats().tasks.length).toBe(before);
  });

  it("Ctrl-C exits 130 with the journal flushed and prints the command that resumes; that command finishes with no second task", async () => {
    const slow = await startEmulator({ speed: 10 });
    try {
      const cwd = await dirs.make();
      const rows = [["id", "video", "audio"]];
      for (let i = 0; i < 6; i++)
        rows.push([`job-${i}`, `${slow.url}/samples/speaker.mp4`, `${slow.url}/samples/speech.wav`]);
      await writeFile(join(cwd, "catalogue.csv"), csv(rows));
      const run = spawnCli(["batch", "catalogue.csv", "--out-dir", "out"], { env: cliEnv(slow.url), cwd });
      await run.waitForStderr(/job-\d created task-unified/);
      run.child.kill("SIGINT");
      const result = await run.done;
      expect(result.code, result.stderr).toBe(130);
      const resume = result.stderr.match(/resume with: (.*)/)?.[1];
      expect(resume).toBe("videoretalk batch catalogue.csv --out-dir out");
      const journal = (await readFile(join(cwd, "out", DEFAULT_JOURNAL_NAME), "utf8")).split("\n");
      expect(journal.at(-1)).toBe("");
      const created = journal.filter((line) => line.includes('"step":"created"')).length;
      expect(created).toBeGreaterThan(0);

      const finish = await runCli((resume as string).split(" ").slice(1), { env: cliEnv(slow.url), cwd });
      expect(finish.code, finish.stderr).toBe(0);
      const stats = slow.stats();
      expect(stats.tasks).toHaveLength(6);
      const keys = rows
        .slice(1)
        .map(([id, video, audio]) =>
          jobIdempotencyKey({ id: id as string, video: video as string, audio: audio as string }),
        );
      expect(stats.tasks.map((task) => task.idempotencyKey).sort()).toEqual(keys.sort());
    } finally {
      await slow.close();
    }
  });
});
