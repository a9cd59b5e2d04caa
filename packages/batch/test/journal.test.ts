import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  applyCheckpoint,
  type BatchJob,
  emptySnapshot,
  IDEMPOTENCY_KEY_PATTERN_FOR_TEST,
  JournalCorruptError,
  JournalLockedError,
  jobIdempotencyKey,
  nextStep,
  openJournal,
  snapshotsFrom,
} from "./support/job-model.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vr-journal-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const job: BatchJob = { id: "intro-de", video: "https://x.example/v.mp4", audio: "https://x.example/de.wav" };

describe("job model", () => {
  it("derives one idempotency key per job and attempt, valid for the API", () => {
    const key = jobIdempotencyKey(job);
    expect(key).toMatch(IDEMPOTENCY_KEY_PATTERN_FOR_TEST);
    expect(jobIdempotencyKey({ ...job })).toBe(key);
    expect(jobIdempotencyKey(job, 2)).not.toBe(key);
    expect(jobIdempotencyKey({ ...job, query_face_threshold: 150 })).not.toBe(key);
    expect(jobIdempotencyKey({ ...job, id: "intro-fr" })).not.toBe(key);
    // The output path does not change what is created.
    expect(jobIdempotencyKey({ ...job, out: "x.mp4" })).toBe(key);
  });

  it("resume rules: never create again once a task id is known; retry `creating` with the same key", () => {
    const now = 1_000;
    let snapshot = emptySnapshot(job.id);
    expect(nextStep(job, snapshot, { now })).toMatchObject({ kind: "create", attempt: 1, resumed: false });
    snapshot = applyCheckpoint(snapshot, {
      job: job.id,
      step: "creating",
      idempotencyKey: "k".repeat(20),
      attempt: 1,
      at: now,
    });
    expect(nextStep(job, snapshot, { now })).toEqual({
      kind: "create",
      idempotencyKey: "k".repeat(20),
      attempt: 1,
      retried: false,
      resumed: true,
    });
    snapshot = applyCheckpoint(snapshot, { job: job.id, step: "created", taskId: "task-unified-1-a", at: now });
    expect(nextStep(job, snapshot, { now, retryFailed: true })).toEqual({ kind: "wait", taskId: "task-unified-1-a" });
    const failed = applyCheckpoint(snapshot, {
      job: job.id,
      step: "terminal",
      status: "failed",
      error: { code: "service_error", message: "x" },
      at: now,
    });
    expect(nextStep(job, failed, { now })).toMatchObject({ kind: "failed", error: { code: "service_error" } });
    expect(nextStep(job, failed, { now, retryFailed: true })).toMatchObject({
      kind: "create",
      attempt: 2,
      retried: true,
    });
  });

  it("re-uploads local files only when the earlier upload is older than 70 h", () => {
    const local: BatchJob = { ...job, video: "/data/v.mp4" };
    const uploaded = applyCheckpoint(emptySnapshot(job.id), {
      job: job.id,
      step: "uploaded",
      urls: { video_url: "https://files.example/v.mp4" },
      at: 0,
    });
    expect(nextStep(local, uploaded, { now: 3_600_000 }).kind).toBe("create");
    expect(nextStep(local, uploaded, { now: 71 * 3_600_000 })).toEqual({
      kind: "upload",
      files: { video_url: "/data/v.mp4" },
    });
  });
});

describe("JSONL journal", () => {
  it("appends fsynced lines, reads them back, drops a torn last line, refuses a damaged middle line", async () => {
    const path = join(dir, "j.jsonl");
    const journal = await openJournal(path);
    await Promise.all([
      journal.append({ job: "a", step: "planned", fingerprint: "f", at: 1 }),
      journal.append({ job: "b", step: "planned", fingerprint: "g", at: 2 }),
    ]);
    await journal.close();
    await writeFile(path, `${await readFile(path, "utf8")}{"job":"a","st`);
    const reopened = await openJournal(path);
    expect(reopened.info.tornBytes).toBeGreaterThan(0);
    expect([...snapshotsFrom(await reopened.load()).keys()]).toEqual(["a", "b"]);
    await reopened.append({ job: "a", step: "creating", idempotencyKey: "k".repeat(20), attempt: 1, at: 3 });
    await reopened.close();
    const lines = (await readFile(path, "utf8")).trim().split("\n");
    expect(lines.map((line) => JSON.parse(line).step)).toEqual(["planned", "planned", "creating"]);

    await writeFile(path, `${lines[0]}\ngarbage\n${lines[1]}\n`);
    await expect(openJournal(path)).rejects.toBeInstanceOf(JournalCorruptError);
  });

  it("one writer at a time: a live holder is refused, a dead one's lock is taken over", async () => {
    const path = join(dir, "j.jsonl");
    const first = await openJournal(path);
    await expect(openJournal(path)).rejects.toBeInstanceOf(JournalLockedError);
    await first.close();
    // A lock left by a process that no longer exists (kill -9).
    await writeFile(`${path}.lock`, "2147483646\n");
    const second = await openJournal(path);
    await second.close();
  });
});
