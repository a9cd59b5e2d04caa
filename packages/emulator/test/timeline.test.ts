import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classifyHost } from "../src/address.js";
import { mp4DurationS } from "../src/media.js";
import { phaseAt, planTask, terminalAtS } from "../src/timeline.js";

describe("timeline", () => {
  it("plans 30–60 s tasks", () => {
    expect(planTask({ kind: "completed" }, () => 0).durationS).toBe(30);
    expect(planTask({ kind: "completed" }, () => 0.999_999).durationS).toBeCloseTo(60, 3);
  });

  it("is pending for the first 10 %, then processing with progress tracking time, then terminal", () => {
    const plan = { durationS: 40, outcome: { kind: "completed" } as const };
    expect(phaseAt(plan, 0)).toEqual({ status: "pending", progress: 0, remainingS: 40 });
    expect(phaseAt(plan, 3.9).status).toBe("pending");
    expect(phaseAt(plan, 4)).toEqual({ status: "processing", progress: 10, remainingS: 36 });
    expect(phaseAt(plan, 20).progress).toBe(50);
    expect(phaseAt(plan, 39.99).progress).toBe(95);
    expect(phaseAt(plan, 40)).toEqual({ status: "completed", progress: 100, remainingS: 0 });
  });

  it("fails halfway and cancels at 30 %", () => {
    const failed = { durationS: 40, outcome: { kind: "failed", code: "service_error" } as const };
    expect(terminalAtS(failed)).toBe(20);
    expect(phaseAt(failed, 19).status).toBe("processing");
    expect(phaseAt(failed, 20)).toEqual({ status: "failed", progress: 0, remainingS: 0 });
    const cancelled = { durationS: 40, outcome: { kind: "cancelled" } as const };
    expect(phaseAt(cancelled, 12).status).toBe("cancelled");
  });
});

describe("helpers", () => {
  it("reads the sample's duration from its mvhd box", () => {
    expect(mp4DurationS(readFileSync(new URL("../fixtures/speaker.mp4", import.meta.url)))).toBeCloseTo(4, 1);
    expect(mp4DurationS(Buffer.from("not a video"))).toBeUndefined();
  });

  it("classifies callback hosts after WHATWG parsing", () => {
    const kind = (url: string) => classifyHost(new URL(url).hostname).kind;
    expect(kind("http://127.1/")).toBe("loopback");
    expect(kind("http://[::1]/")).toBe("loopback");
    expect(kind("http://[::ffff:127.0.0.1]/")).toBe("loopback");
    expect(kind("http://app.localhost/")).toBe("loopback");
    expect(kind("http://0x0a000001/")).toBe("refused");
    expect(kind("http://[fe80::1]/")).toBe("refused");
    expect(kind("http://100.64.1.1/")).toBe("refused");
    expect(kind("http://[64:ff9b::a00:1]/")).toBe("refused");
    expect(kind("https://example.com/")).toBe("public");
    expect(kind("https://8.8.8.8/")).toBe("public");
  });
});
