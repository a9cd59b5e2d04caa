import {
  APIConnectionError,
  AuthenticationError,
  BadRequestError,
  InsufficientCreditsError,
  InternalServerError,
  PermissionDeniedError,
  RateLimitError,
  ValidationError,
} from "@videoretalk/core";
import { describe, expect, it } from "vitest";
import { classifyFailure } from "../../src/classify-failure.js";

describe("classifyFailure", () => {
  it("sends refusals that retrying cannot fix to the dead letters", () => {
    expect(classifyFailure(new BadRequestError("bad", { status: 400 }))).toEqual({ kind: "dead-letter" });
    expect(classifyFailure(new InsufficientCreditsError("top up", { status: 402 }))).toEqual({
      kind: "dead-letter",
    });
    expect(classifyFailure(new PermissionDeniedError("no", { status: 403 }))).toEqual({ kind: "dead-letter" });
    expect(classifyFailure(new ValidationError("video_url", "bad url"))).toEqual({ kind: "dead-letter" });
  });

  it("retries what may pass later: 5xx, lost connections, and a 401 (the worker's key, not the job)", () => {
    expect(classifyFailure(new InternalServerError("busy", { status: 503 }))).toEqual({ kind: "transient" });
    expect(classifyFailure(new APIConnectionError("reset"))).toEqual({ kind: "transient" });
    expect(classifyFailure(new AuthenticationError("key", { status: 401 }))).toEqual({ kind: "transient" });
    expect(classifyFailure(new Error("redis went away"))).toEqual({ kind: "transient" });
  });

  it("turns a 429 into a queue-wide pause, keeping the Retry-After", () => {
    expect(classifyFailure(new RateLimitError("slow", { status: 429, retryAfterMs: 2_500 }))).toEqual({
      kind: "rate-limited",
      retryAfterMs: 2_500,
    });
    expect(classifyFailure(new RateLimitError("slow", { status: 429 }))).toEqual({
      kind: "rate-limited",
      retryAfterMs: undefined,
    });
  });
});
