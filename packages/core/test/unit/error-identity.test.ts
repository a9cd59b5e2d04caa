import { describe, expect, it } from "vitest";
import {
  APIConnectionError,
  APIError,
  brandErrorClass,
  NotFoundError,
  RateLimitError,
  VideoRetalkError,
} from "../../src/index.js";

/** What an error made by another copy of core (its CommonJS build, say) looks like to this one. */
function foreignError(brands: string[]): object {
  const error = new Error("from another copy");
  Object.defineProperty(error, Symbol.for("videoretalk.error.brands"), { value: brands });
  return error;
}

describe("error identity across copies of the SDK", () => {
  it("recognises an error from another copy by its class brands, down the hierarchy", () => {
    const notFound = foreignError([
      "@videoretalk/core:NotFoundError",
      "@videoretalk/core:APIError",
      "@videoretalk/core:VideoRetalkError",
    ]);
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
    expect(foreignError(["other-sdk:APIError"]) instanceof APIError).toBe(false);
  });

  it("records the brands of every branded class an instance belongs to", () => {
    class QuotaError extends RateLimitError {}
    brandErrorClass(QuotaError, "test:QuotaError");
    const brands = (new QuotaError("quota", { status: 429 }) as unknown as Record<symbol, string[]>)[
      Symbol.for("videoretalk.error.brands")
    ];
    expect(brands).toEqual([
      "test:QuotaError",
      "@videoretalk/core:RateLimitError",
      "@videoretalk/core:APIError",
      "@videoretalk/core:VideoRetalkError",
    ]);
    expect(foreignError(brands ?? []) instanceof QuotaError).toBe(true);
  });
});
