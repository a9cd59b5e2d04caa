import type { Task } from "@videoretalk/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { barProgress, chooseProgress, lineProgress, silentProgress } from "../../src/progress.js";
import { CapturedStream } from "../support/fake-io.js";

const ID = "task-unified-1700000000-abcd1234";
const at = (status: Task["status"], progress: number) =>
  ({
    id: ID,
    object: "video.generation.task",
    created: 1,
    model: "videoretalk",
    status,
    progress,
    type: "video",
  }) as Task;

describe("lineProgress (pipes and logs)", () => {
  it("writes one plain line per 10 % step and per distinct task state", () => {
    const stream = new CapturedStream();
    const view = lineProgress(stream);
    for (let sent = 0; sent <= 100_000; sent += 2_500) view.upload("speaker.mp4", sent, 100_000);
    view.note(`created task ${ID} (80 credits reserved)`);
    view.task(at("pending", 0));
    view.task(at("pending", 0));
    view.task(at("processing", 40));
    view.task(at("completed", 100));
    view.download(500, undefined);
    view.download(21_140, 21_140);
    view.stop();
    const lines = stream.text.trimEnd().split("\n");
    expect(lines.filter((line) => line.startsWith("upload speaker.mp4: "))).toHaveLength(11);
    expect(lines).toContain("upload speaker.mp4: 0 B of 100.0 kB");
    expect(lines).toContain("upload speaker.mp4: 100.0 kB of 100.0 kB");
    const rest = lines.slice(11);
    expect(rest).toHaveLength(6);
    expect(rest[0]).toBe(`created task ${ID} (80 credits reserved)`);
    // Running states carry the predicted time left; the finished one does not.
    expect(rest[1]).toMatch(new RegExp(`^task ${ID}: pending 0% \\(~\\d+ (s|min) left\\)$`));
    expect(rest[2]).toMatch(new RegExp(`^task ${ID}: processing 40% \\(~\\d+ (s|min) left\\)$`));
    expect(rest.slice(3)).toEqual([`task ${ID}: completed 100%`, "download: 500 B", "download: 21.1 kB of 21.1 kB"]);
    expect(stream.text).not.toContain("\x1b");
  });
});

describe("barProgress (terminals)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("draws a cli-progress bar per phase and leaves the cursor visible when stopped", () => {
    const stream = new CapturedStream(true);
    const view = barProgress(stream);
    view.upload("speaker.mp4", 0, 1000);
    view.upload("speaker.mp4", 1000, 1000);
    view.note(`created task ${ID}`);
    view.task(at("processing", 50));
    view.task(at("completed", 100));
    view.download(21_140, 21_140);
    view.stop();
    expect(stream.text).toContain("upload speaker.mp4 ");
    expect(stream.text).toContain(`created task ${ID}\n`);
    expect(stream.text).toContain("lip-sync");
    expect(stream.text).toContain("download");
    expect(stream.text).toContain("100%");
    expect(stream.text).toContain("\x1b[?25l");
    expect(stream.text.lastIndexOf("\x1b[?25h")).toBeGreaterThan(stream.text.lastIndexOf("\x1b[?25l"));
  });

  it("keeps the lip-sync bar moving between reads with a time-left estimate, and leaves no timer", () => {
    vi.useFakeTimers();
    // The view's own interval timers, recorded: the assertion is about its ticker, not about how
    // many timers the process (cli-progress included) happens to hold.
    const started: unknown[] = [];
    const cleared: unknown[] = [];
    const timers = {
      setInterval: (callback: () => void, ms: number) => {
        const handle = setInterval(callback, ms);
        started.push(handle);
        return handle;
      },
      clearInterval: (handle: unknown) => {
        cleared.push(handle);
        clearInterval(handle as ReturnType<typeof setInterval>);
      },
    };
    const stream = new CapturedStream(true);
    const view = barProgress(stream, timers);
    view.task({ id: ID, status: "pending", progress: 0, task_info: { estimated_time: 60 } });
    expect(stream.text).toContain("~60 s left");
    expect(started).toHaveLength(1);
    vi.advanceTimersByTime(30_000);
    expect(stream.text).toContain("~30 s left");
    // Reads while running reuse the one ticker.
    view.task({ id: ID, status: "processing", progress: 50, task_info: { estimated_time: 30 } });
    expect(started).toHaveLength(1);
    view.task({ id: ID, status: "completed", progress: 100, results: ["https://r.example/v.mp4"] });
    // The estimate's ticker stops with the task.
    expect(cleared).toEqual(started);
    view.stop();
    expect(started).toHaveLength(1);
    expect(cleared).toEqual(started);
  });

  it("shows file names as text, shortened in the middle, one bar per file", () => {
    const stream = new CapturedStream(true);
    const view = barProgress(stream);
    view.upload("{bar}.mp4", 5, 10);
    view.upload("a-very-long-interview-recording-take-1.mp4", 5, 10);
    view.upload("a-very-long-interview-recording-take-1.wav", 5, 10);
    view.stop();
    expect(stream.text).toContain("upload {bar}.mp4 ");
    expect(stream.text).toContain("upload a-very-lo…1.mp4 ");
    expect(stream.text).toContain("upload a-very-lo…1.wav ");
  });
});

describe("chooseProgress", () => {
  it("is silent with --json, a bar on a TTY, plain lines otherwise", () => {
    const json = new CapturedStream(true);
    const silent = chooseProgress(json, true);
    silent.note("hello");
    silent.task(at("pending", 0));
    silent.stop();
    expect(json.text).toBe("");

    const pipe = new CapturedStream(false);
    chooseProgress(pipe, false).note("plain");
    expect(pipe.text).toBe("plain\n");

    const tty = new CapturedStream(true);
    const bar = chooseProgress(tty, false);
    bar.task(at("processing", 30));
    bar.stop();
    expect(tty.text).toContain("\x1b[");
  });

  it("silentProgress writes nothing", () => {
    const view = silentProgress();
    expect(() => {
      view.upload("x", 1, 2);
      view.download(1, 2);
      view.stop();
    }).not.toThrow();
  });
});
