import { describe, expect, it } from "vitest";
import { call, emulator, expectApiError, lipSync } from "./helpers.js";

const key = "run_3f2a9c4e8b7d4f10a1b2c3d4e5f60718";

describe("idempotency", () => {
  it("replays the first answer for the same key and body", async () => {
    const { url } = await emulator({ speed: 1 });
    const first = await call(url, "/v1/videos/generations", {
      body: lipSync(url),
      headers: { "Idempotency-Key": key },
    });
    expect(first.status).toBe(200);
    expect(first.headers.get("idempotency-replayed")).toBe("false");
    // Same fields in another order: still the same request.
    const reordered = Object.fromEntries(Object.entries(lipSync(url)).reverse());
    const again = await call(url, "/v1/videos/generations", { body: reordered, headers: { "Idempotency-Key": key } });
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotency-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    const fresh = await call(url, "/v1/videos/generations", { body: lipSync(url) });
    expect(fresh.body.id).not.toBe(first.body.id);
    expect(fresh.headers.get("idempotency-replayed")).toBeNull();
  });

  it("refuses the same key with a different body: 400 idempotency_conflict", async () => {
    const { url } = await emulator();
    await call(url, "/v1/videos/generations", { body: lipSync(url), headers: { "Idempotency-Key": key } });
    const conflict = await call(url, "/v1/videos/generations", {
      body: lipSync(url, { video_extension: true }),
      headers: { "Idempotency-Key": key },
    });
    expect(conflict.status).toBe(400);
    expectApiError(conflict.body, "idempotency_conflict", "Idempotency-Key");
  });

  it("scopes keys per API key and does not store failed attempts", async () => {
    const { url } = await emulator();
    const headers = { "Idempotency-Key": key, "X-Emulator-Scenario": "status:503*1" };
    expect((await call(url, "/v1/videos/generations", { body: lipSync(url), headers })).status).toBe(503);
    const retried = await call(url, "/v1/videos/generations", { body: lipSync(url), headers });
    expect(retried.status).toBe(200);
    expect(retried.headers.get("idempotency-replayed")).toBe("false");
    const otherUser = await call(url, "/v1/videos/generations", {
      body: lipSync(url, { video_extension: true }),
      headers: { "Idempotency-Key": key },
      token: "another-key",
    });
    expect(otherUser.status).toBe(200);
    expect(otherUser.body.id).not.toBe(retried.body.id);
  });
});
