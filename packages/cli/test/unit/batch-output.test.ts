import { type BatchSummary, JobInputsChangedError } from "@videoretalk/batch";
import { describe, expect, it } from "vitest";
import { chooseBatchProgress } from "../../src/batch-progress.js";
import { batchUsageProblem } from "../../src/batch-run-steps.js";
import { jsonSummary, shellQuote, textSummary } from "../../src/batch-summary.js";
import { resumeCommand } from "../../src/commands/batch.js";
import { CapturedStream } from "../support/fake-io.js";

describe("batch progress", () => {
  it("off a TTY: one line per state change, API text stripped of terminal controls", () => {
    const stream = new CapturedStream(false);
    const view = chooseBatchProgress(stream, { json: false, total: 2 });
    view.event({ type: "job", job: "a", state: "created", taskId: "task-unified-1-abcdefgh", creditsReserved: 80 });
    view.event({ type: "job", job: "b", state: "failed", error: { code: "service_error", message: "boom\u001b[2J" } });
    view.event({ type: "rate-limited", retryAfterMs: 1500, concurrency: 4 });
    view.stop();
    expect(stream.text.split("\n")).toEqual([
      "a created task-unified-1-abcdefgh (80 credits reserved)",
      "b failed: service_error: boom",
      "rate limited (429): every create waits 1.5 s; concurrency now 4",
      "",
    ]);
  });

  it("on a TTY: one line redrawn in place with counts per state and credits reserved", () => {
    const stream = new CapturedStream(true);
    stream.columns = 200;
    const view = chooseBatchProgress(stream, { json: false, total: 3 });
    view.event({ type: "job", job: "a", state: "created", taskId: "t", creditsReserved: 80 });
    view.event({ type: "job", job: "b", state: "downloaded", resumed: true });
    view.stop();
    expect(stream.text).not.toContain("\n\r");
    const last = stream.text.split("\r\u001b[2K").at(-1) as string;
    expect(last).toMatch(/^queued 1 · running 1 · done 1 · .* jobs\/min · 80 credits reserved\n$/);
  });

  it("with --json: silent", () => {
    const stream = new CapturedStream(true);
    const view = chooseBatchProgress(stream, { json: true, total: 1 });
    view.event({ type: "job", job: "a", state: "created" });
    view.stop();
    expect(stream.text).toBe("");
  });
});

describe("batch summary", () => {
  const summary: BatchSummary = {
    jobs: [
      {
        id: "a",
        status: "downloaded",
        task_id: "t1",
        output: { path: "/o/a.mp4", bytes: 3, sha256: "ab" },
        error: undefined,
      },
      { id: "b", status: "skipped", task_id: undefined, output: undefined, error: undefined, reason: "budget" },
      {
        id: "c",
        status: "failed",
        task_id: "t3",
        output: undefined,
        error: { code: "generation_timeout", message: "late" },
      },
    ],
    totals: {
      jobs: 3,
      downloaded: 1,
      failed: 1,
      skipped: 1,
      unfinished: 0,
      creditsReserved: 160,
      createCalls: 2,
      taskReads: 1,
      rateLimited: 0,
    },
    interrupted: false,
  };

  it("--json is { jobs: [{ id, line, status, task_id, output, error }], totals }", () => {
    const document = JSON.parse(jsonSummary(summary, 3, undefined, new Map([["b", 1234]])));
    expect(document.jobs[1]).toEqual({
      id: "b",
      line: 1234,
      status: "skipped: budget",
      task_id: null,
      output: null,
      error: null,
    });
    expect(document.jobs[0].line).toBeNull();
    expect(document.jobs[2].error).toEqual({ code: "generation_timeout", message: "late" });
    expect(document.totals.downloaded).toBe(1);
    expect(document.exitCode).toBe(3);
  });

  it("the text summary lists every job that did not finish, with why", () => {
    const text = textSummary(
      summary,
      "3s",
      new Map([
        ["b", 1234],
        ["c", 9001],
      ]),
    );
    expect(text).toContain("finished in 3s: 1/3 downloaded, 1 failed, 1 skipped, 0 unfinished; 160 credits reserved");
    expect(text).toContain('  line 1234 (id "b") skipped: budget');
    expect(text).toContain('  line 9001 (id "c") failed (task t3): generation_timeout: late');
    // A job not read from a manifest (no line known) is still named by its id.
    expect(textSummary(summary, "3s")).toContain('  id "b" skipped: budget');
  });

  it("the resume command repeats the run's flags, quoted for a shell, never --retry-failed", () => {
    expect(
      resumeCommand("my catalogue.csv", {
        outDir: "out dir",
        maxCredits: "500",
        retryFailed: true,
        baseUrl: "http://127.0.0.1:4020",
      }),
    ).toBe(
      "videoretalk batch 'my catalogue.csv' --out-dir 'out dir' --max-credits 500 --base-url http://127.0.0.1:4020",
    );
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe("a changed row is named by manifest line", () => {
  it("JobInputsChangedError: line and id with the manifest's lines, the ids alone without", () => {
    const error = new JobInputsChangedError(["intro", "outro"]);
    const lines = new Map([
      ["intro", 17],
      ["outro", 1234],
    ]);
    expect(batchUsageProblem(error, lines)).toBe(
      'The inputs of line 17 (id "intro"), line 1234 (id "outro") changed since the journal recorded them: give changed rows a new id, or use a new --out-dir / --journal.',
    );
    expect(batchUsageProblem(error)).toBe(error.message);
  });
});
