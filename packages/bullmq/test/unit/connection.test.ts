import { describe, expect, it } from "vitest";
import { redactRedisUrl, redisConnection } from "../../src/connection.js";

describe("redisConnection", () => {
  it("reads host, port, credentials and database; rediss:// turns TLS on", () => {
    expect(redisConnection("rediss://default:s%40cret@redis.example.com:6380/2")).toEqual({
      host: "redis.example.com",
      port: 6380,
      username: "default",
      password: "s@cret",
      db: 2,
      tls: {},
      maxRetriesPerRequest: null,
    });
    expect(redisConnection("redis://127.0.0.1")).toEqual({ host: "127.0.0.1", port: 6379, maxRetriesPerRequest: null });
    expect(redisConnection("redis://[::1]:7000").host).toBe("::1");
  });

  it.each([
    ["not a url", /redis must be a URL/],
    ["http://127.0.0.1:6379", /redis:\/\/ or rediss:\/\//],
    ["redis://127.0.0.1:6379/queue", /database number/],
  ])("refuses %s with a ValidationError naming redis", (url, message) => {
    expect(() => redisConnection(url)).toThrow(message);
    try {
      redisConnection(url);
    } catch (error) {
      expect(error).toMatchObject({ name: "ValidationError", field: "redis" });
    }
  });

  it("masks the password when a URL is shown", () => {
    expect(redactRedisUrl("redis://user:hunter2@host:6379")).toBe("redis://user:***@host:6379");
    expect(redactRedisUrl("redis://host:6379")).toBe("redis://host:6379");
    expect(redactRedisUrl("::")).not.toContain("::");
  });
});
