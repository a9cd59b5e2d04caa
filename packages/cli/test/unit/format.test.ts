import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration } from "../../src/format.js";

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [999, "999 B"],
    [1000, "1.0 kB"],
    [21_140, "21.1 kB"],
    [999_949, "999.9 kB"],
    [999_999, "1.0 MB"],
    [1_500_000, "1.5 MB"],
    [100 * 1000 * 1000, "100.0 MB"],
    [2_340_000_000, "2.3 GB"],
    [1e12, "1.0 TB"],
    [5e15, "5000.0 TB"],
  ])("%d bytes → %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0.0 s"],
    [-5, "0.0 s"],
    [400, "0.4 s"],
    [12_345, "12.3 s"],
    [59_940, "59.9 s"],
    [59_960, "1 min 0 s"],
    [125_000, "2 min 5 s"],
    [119_600, "2 min 0 s"],
    [1_800_000, "30 min 0 s"],
    [3_599_400, "59 min 59 s"],
    [3_780_000, "1 h 3 min"],
  ])("%d ms → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
