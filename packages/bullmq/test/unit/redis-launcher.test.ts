import { assertRedisInstalled, startRedis } from "@videoretalk/test-support/redis-server";
import { describe, expect, it } from "vitest";

describe("the test Redis launcher", () => {
  it("fails (never skips) without redis-server, naming the install command", async () => {
    expect(() => assertRedisInstalled("redis-server-that-does-not-exist")).toThrow(/apt-get install -y redis-server/);
    await expect(startRedis({ binary: "redis-server-that-does-not-exist" })).rejects.toThrow(
      /apt-get install -y redis-server/,
    );
  });
});
