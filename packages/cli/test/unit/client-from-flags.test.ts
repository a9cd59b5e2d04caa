import { describe, expect, it } from "vitest";
import { allowsPrivateResults, resolveConnection, resultDownloadPolicy } from "../../src/client-from-flags.js";
import { fakeIO } from "../support/fake-io.js";

describe("result downloads from private addresses follow the API's address", () => {
  const io = (env: Record<string, string> = {}) => fakeIO({ env }).io;

  it.each([
    "http://127.0.0.1:4020",
    "http://127.0.0.1:4020/",
    "http://localhost:8080",
    "http://app.localhost:3000",
    "http://[::1]:4020",
    "http://127.9.8.7",
  ])("a loopback http API (%s, the emulator or a local proxy) allows them", (baseUrl) => {
    expect(allowsPrivateResults({ baseUrl }, io())).toBe(true);
    expect(resultDownloadPolicy({ baseUrl }, io())).toEqual({ allowPrivateNetwork: true });
  });

  it.each([
    "https://api.evolink.ai",
    "https://127.0.0.1:4020",
    "http://10.0.0.5:4020",
    "http://192.168.1.2",
    "http://api.example.com",
    "http://127.0.0.1.evil.example",
    "not a url",
  ])("any other API (%s) keeps downloadResult's refusal of private and plain-http results", (baseUrl) => {
    expect(allowsPrivateResults({ baseUrl, filesBaseUrl: "https://files-api.evolink.ai" }, io())).toBe(false);
    expect(resultDownloadPolicy({ baseUrl, filesBaseUrl: "https://files-api.evolink.ai" }, io())).toEqual({});
  });

  it("reads EVOLINK_BASE_URL / EVOLINK_FILES_BASE_URL when no flag is given; the default API is public", () => {
    expect(allowsPrivateResults({}, io())).toBe(false);
    expect(allowsPrivateResults({}, io({ EVOLINK_BASE_URL: "http://127.0.0.1:4020" }))).toBe(true);
    expect(allowsPrivateResults({}, io({ EVOLINK_FILES_BASE_URL: "http://127.0.0.1:4020" }))).toBe(true);
    expect(
      allowsPrivateResults({ baseUrl: "https://api.evolink.ai" }, io({ EVOLINK_BASE_URL: "http://127.0.0.1:1" })),
    ).toBe(false);
  });

  it("resolveConnection: flag, then environment, then the production default", () => {
    expect(resolveConnection({}, io())).toEqual({
      baseUrl: "https://api.evolink.ai",
      filesBaseUrl: "https://files-api.evolink.ai",
    });
    expect(resolveConnection({ filesBaseUrl: "http://127.0.0.1:9" }, io({ EVOLINK_BASE_URL: " http://x " }))).toEqual({
      baseUrl: "http://x",
      filesBaseUrl: "http://127.0.0.1:9",
    });
  });
});
