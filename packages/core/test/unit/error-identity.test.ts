import { describe, expect, it } from "vitest";
import { APIConnectionError, APIError, NotFoundError, RateLimitError, VideoRetalkError } from "../../src/index.js";

/**
 * Stand-ins for the classes of another copy of core (its CommonJS build, say): distinct class
 * objects that carry the same brands, as the other build's do.
 */
class OtherVideoRetalkError extends Error {
  static readonly errorBrand: string = "@videoretalk/core:VideoRetalkError";
}
class OtherAPIError extends OtherVideoRetalkError {
  static override readonly errorBrand: string = "@videoretalk/core:APIError";
}
class OtherNotFoundError extends OtherAPIError {
  static override readonly errorBrand: string = "@videoretalk/core:NotFoundError";
}

describe("error identity across copies of the SDK", () => {
  it("recognises an error from another copy by the brands of its class chain", () => {
    const notFound = new OtherNotFoundError("from the other build");
    expect(notFound instanceof NotFoundError).toBe(true);
    expect(notFound instanceof APIError).toBe(true);
    expect(notFound instanceof VideoRetalkError).toBe(true);
    expect(notFound instanceof RateLimitError).toBe(false);
    expect(notFound instanceof APIConnectionError).toBe(false);
  });

  it("keeps plain instanceof for own errors and refuses unrelated objects", () => {
    expect(new RateLimitError("429", { status: 429 }) instanceof APIError).toBe(true);
    expect(new RateLimitError("429", { status: 429 }) instanceof NotFoundError).toBe(false);
    expect(new Error("plain") instanceof VideoRetalkError).toBe(false);
    expect((null as unknown) instanceof VideoRetalkError).toBe(false);
    class Unrelated extends Error {
      static readonly errorBrand: string = "other-sdk:APIError";
    }
    expect(new Unrelated("x") instanceof APIError).toBe(false);
  });

  it("does not let a subclass without its own brand match its parent's foreign errors", () => {
    class QuotaError extends RateLimitError {}
    class OtherRateLimitError extends OtherAPIError {
      static override readonly errorBrand: string = "@videoretalk/core:RateLimitError";
    }
    expect(new OtherRateLimitError("429") instanceof RateLimitError).toBe(true);
    expect(new OtherRateLimitError("429") instanceof QuotaError).toBe(false);
    expect(new QuotaError("quota", { status: 429 }) instanceof RateLimitError).toBe(true);
  });
});
