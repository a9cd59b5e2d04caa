import { describe, expect, it } from "vitest";
import { parseThreshold, parseTimeoutMs } from "../../src/commands/lipsync.js";
import { UsageError } from "../../src/report-error.js";

describe("parseThreshold", () => {
  it("is undefined when the flag is absent, so the API default (170) applies", () => {
    expect(parseThreshold(undefined)).toBeUndefined();
  });

  it.each([
    ["170", 170],
    [" 120 ", 120],
    ["200", 200],
    // Out-of-range integers parse; the range check is core's validateCreateParams, mapped to --threshold.
    ["300", 300],
    ["-5", -5],
  ])("parses %j as %d", (text, value) => {
    expect(parseThreshold(text)).toBe(value);
  });

  it.each(["abc", "150.5", "", "1e2", "0x96", "170abc"])("refuses %j with a message naming --threshold", (text) => {
    expect(() => parseThreshold(text)).toThrow(UsageError);
    expect(() => parseThreshold(text)).toThrow(/^--threshold must be an integer from 120 to 200/);
  });
});

describe("parseTimeoutMs", () => {
  it("defaults to 30 minutes", () => {
    expect(parseTimeoutMs(undefined)).toBe(1_800_000);
  });

  it.each([
    ["0.5", 500],
    ["10", 10_000],
    ["1.2345", 1235],
    ["3600", 3_600_000],
  ])("reads %j seconds as %d ms", (text, ms) => {
    expect(parseTimeoutMs(text)).toBe(ms);
  });

  it.each(["0", "-1", "abc", "Infinity", "NaN", ""])("refuses %j naming --timeout", (text) => {
    expect(() => parseTimeoutMs(text)).toThrow(UsageError);
    expect(() => parseTimeoutMs(text)).toThrow(/^--timeout must be a positive number of seconds/);
  });
});
