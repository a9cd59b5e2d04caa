import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { allowedHostNames, normalizeCorsOrigin } from "../src/request-guard.js";
import { type Body, emulator, expectApiError } from "./helpers.js";

/** A raw request, so the test controls `Host` and `Origin` exactly (fetch would set its own Host). */
function raw(
  base: string,
  path: string,
  headers: Record<string, string>,
  method = "GET",
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Body }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: (text ? JSON.parse(text) : {}) as Body }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

const auth = { Authorization: "Bearer test-key" };

describe("Host header (DNS-rebinding guard)", () => {
  it.each(["127.0.0.1", "localhost", "app.localhost", "[::1]", "127.0.0.2"])("answers Host: %s", async (host) => {
    const { url } = await emulator();
    const port = new URL(url).port;
    const answer = await raw(url, "/api/v1/files/quota", { ...auth, Host: `${host}:${port}` });
    expect(answer.status).toBe(200);
  });

  it.each(["evil.example", "127.0.0.1.nip.io", "attacker.com:80", "10.0.0.7"])(
    "refuses Host: %s with 421 before doing anything",
    async (host) => {
      const { url } = await emulator();
      const answer = await raw(url, "/v1/videos/generations", { ...auth, Host: host }, "POST");
      expect(answer.status).toBe(421);
      expectApiError(answer.body, "misdirected_request");
      expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
    },
  );

  it("bound to a wildcard address, also accepts this machine's interface addresses, never names", () => {
    const wildcard = allowedHostNames("0.0.0.0");
    expect(wildcard("127.0.0.1")).toBe(true);
    expect(wildcard("evil.example")).toBe(false);
    const loopbackOnly = allowedHostNames("127.0.0.1");
    expect(loopbackOnly("localhost")).toBe(true);
    expect(loopbackOnly("192.168.1.20")).toBe(false);
    expect(allowedHostNames("192.168.1.20")("192.168.1.20")).toBe(true);
    expect(allowedHostNames("::1")("[::1]")).toBe(true);
  });
});

describe("CORS: only origins it was told", () => {
  it("by default sends no Access-Control-Allow-Origin and refuses requests from other pages", async () => {
    const { url } = await emulator();
    const plain = await raw(url, "/", {});
    expect(plain.status).toBe(200);
    expect(plain.headers["access-control-allow-origin"]).toBeUndefined();

    const fromPage = await raw(url, "/api/v1/files/quota", { ...auth, Origin: "http://evil.example" });
    expect(fromPage.status).toBe(403);
    expectApiError(fromPage.body, "origin_not_allowed");
    expect(fromPage.body.error.message).toContain("--cors-origin http://evil.example");
    expect(fromPage.headers["access-control-allow-origin"]).toBeUndefined();

    const preflight = await raw(
      url,
      "/v1/videos/generations",
      { Origin: "http://evil.example", "Access-Control-Request-Method": "POST" },
      "OPTIONS",
    );
    expect(preflight.status).toBe(403);
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("answers its own origin (a same-origin page) without CORS headers", async () => {
    const { url } = await emulator();
    const answer = await raw(url, "/", { Origin: url });
    expect(answer.status).toBe(200);
    expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("allows exactly the corsOrigins, preflight included", async () => {
    const app = "http://127.0.0.1:5173";
    const { url } = await emulator({ corsOrigins: [app, "http://localhost:3000/"] });
    const preflight = await raw(
      url,
      "/v1/videos/generations",
      { Origin: app, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization" },
      "OPTIONS",
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe(app);
    expect(preflight.headers["access-control-allow-headers"]).toMatch(/Authorization/);
    expect(preflight.headers.vary).toBe("Origin");

    const read = await raw(url, "/api/v1/files/quota", { ...auth, Origin: app });
    expect(read.status).toBe(200);
    expect(read.headers["access-control-allow-origin"]).toBe(app);
    expect(read.headers["access-control-expose-headers"]).toMatch(/X-Request-Id/);
    expect((await raw(url, "/", { Origin: "http://localhost:3000" })).headers["access-control-allow-origin"]).toBe(
      "http://localhost:3000",
    );

    const other = await raw(url, "/api/v1/files/quota", { ...auth, Origin: "http://127.0.0.1:5174" });
    expect(other.status).toBe(403);
  });

  it('"*" allows any page, when asked for explicitly', async () => {
    const { url } = await emulator({ corsOrigins: ["*"] });
    const answer = await raw(url, "/", { Origin: "https://anywhere.example" });
    expect(answer.status).toBe(200);
    expect(answer.headers["access-control-allow-origin"]).toBe("https://anywhere.example");
  });

  it("refuses corsOrigins that are not origins", async () => {
    for (const entry of ["127.0.0.1:5173", "http://x.example/path", "ftp://x.example", "", "null"]) {
      expect(() => normalizeCorsOrigin(entry), entry).toThrow(TypeError);
    }
    await expect(emulator({ corsOrigins: ["http://x.example/app"] })).rejects.toThrow(TypeError);
  });
});
