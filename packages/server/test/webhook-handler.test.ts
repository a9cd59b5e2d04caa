import { createVideoRetalk, type Task, ValidationError } from "@videoretalk/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  CALLBACK_TOKEN_PARAM,
  callbackUrl,
  createMemoryStore,
  createWebhookHandler,
  DEDUPE_TTL_MS,
  type WebhookHandlerOptions,
  type WebhookStore,
} from "../src/index.js";
import { toNodeHandler } from "../src/node.js";
import { type FakeApi, startFakeApi, taskBody } from "./support/fake-api.js";
import { serve } from "./support/serve.js";

const SECRET = "whsec-test-0123456789abcdef";
const HOOK = "https://app.example.com/api/videoretalk-hook?user=42";

let api: FakeApi;
beforeAll(async () => {
  api = await startFakeApi();
});
afterAll(() => api.close());
beforeEach(() => {
  api.received.length = 0;
});

let signedUrl: string;
beforeAll(async () => {
  signedUrl = await callbackUrl(HOOK, { secret: SECRET });
});

function handlerWith(overrides: Partial<WebhookHandlerOptions> = {}) {
  const onTask = vi.fn<NonNullable<WebhookHandlerOptions["onTask"]>>();
  const handler = createWebhookHandler({ secret: SECRET, onTask, onError: () => {}, ...overrides });
  return { handler, onTask: (overrides.onTask as typeof onTask | undefined) ?? onTask };
}

function deliver(url: string, body: unknown, headers: Record<string, string> = {}) {
  return new Request(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const completed = taskBody("task-unified-1756817821-done0001", "completed", {
  results: ["https://files.example.com/out.mp4"],
});

describe("callbackUrl", () => {
  it("appends a base64url HMAC of the path and query as vr_token", async () => {
    const url = new URL(signedUrl);
    expect(url.origin + url.pathname).toBe("https://app.example.com/api/videoretalk-hook");
    expect(url.searchParams.get("user")).toBe("42");
    const token = url.searchParams.get(CALLBACK_TOKEN_PARAM) ?? "";
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Independently: HMAC-SHA256(secret, "/api/videoretalk-hook?user=42").
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(SECRET),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const mac = new Uint8Array(
      await crypto.subtle.sign("HMAC", key, new TextEncoder().encode("/api/videoretalk-hook?user=42")),
    );
    expect(token).toBe(Buffer.from(mac).toString("base64url"));
  });

  it("is stable, drops fragments and an old token, and differs per path, query and secret", async () => {
    expect(await callbackUrl(HOOK, { secret: SECRET })).toBe(signedUrl);
    expect(await callbackUrl(`${signedUrl}#frag`, { secret: SECRET })).toBe(signedUrl);
    const tokens = await Promise.all(
      [
        [HOOK, SECRET],
        ["https://app.example.com/api/videoretalk-hook?user=43", SECRET],
        ["https://app.example.com/other?user=42", SECRET],
        [HOOK, `${SECRET}-other`],
      ].map(async ([url, secret]) =>
        new URL(await callbackUrl(url ?? "", { secret: secret ?? "" })).searchParams.get("vr_token"),
      ),
    );
    expect(new Set(tokens).size).toBe(4);
    expect(await callbackUrl("https://a.example.com", { secret: SECRET })).toMatch(
      /^https:\/\/a\.example\.com\/\?vr_token=/,
    );
  });

  it("rejects short secrets and non-http URLs", async () => {
    await expect(callbackUrl(HOOK, { secret: "short" })).rejects.toThrow(ValidationError);
    await expect(callbackUrl("ftp://x.example/y", { secret: SECRET })).rejects.toThrow(/http/);
    await expect(callbackUrl("/relative", { secret: SECRET })).rejects.toThrow(/absolute/);
  });
});

describe("createWebhookHandler construction", () => {
  it("needs onTask, a long enough secret, and a client for refetch", () => {
    expect(() => createWebhookHandler({ secret: SECRET } as WebhookHandlerOptions)).toThrow(/onTask/);
    expect(() => createWebhookHandler({ secret: "short", onTask: () => {} })).toThrow(/secret/);
    expect(() => createWebhookHandler({ secret: [], onTask: () => {} })).toThrow(/secret/);
    expect(() => createWebhookHandler({ secret: SECRET, onTask: () => {}, verify: "refetch" })).toThrow(/client/);
    expect(() => createWebhookHandler({ secret: SECRET, onTask: () => {}, verify: "sometimes" as "token" })).toThrow(
      /verify/,
    );
    expect(() => createWebhookHandler({ secret: SECRET, onTask: () => {}, maxBodyBytes: -1 })).toThrow(/maxBodyBytes/);
  });
});

describe("deliveries", () => {
  it("verifies URLs with encoded, unicode and odd query characters", async () => {
    const { handler, onTask } = handlerWith();
    const odd = await callbackUrl("https://app.example.com/hook/ü x?a=b c&name=%E2%9C%93&q='y'&&flag", {
      secret: SECRET,
    });
    const response = await handler(deliver(odd, completed));
    expect(response.status).toBe(200);
    expect(onTask.mock.calls[0]?.[1].url.searchParams.get("a")).toBe("b c");
  });

  it("a valid delivery reaches onTask once, with the trusted URL", async () => {
    const { handler, onTask } = handlerWith();
    const response = await handler(deliver(signedUrl, completed));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, delivered: true });
    expect(onTask).toHaveBeenCalledOnce();
    const [task, context] = onTask.mock.calls[0] ?? [];
    expect(task).toEqual(completed);
    expect(context?.url.searchParams.get("user")).toBe("42");
  });

  it("verifies on any host: only path and query are signed", async () => {
    const { handler, onTask } = handlerWith();
    const local = new URL(signedUrl);
    const response = await handler(deliver(`http://127.0.0.1:8080${local.pathname}${local.search}`, completed));
    expect(response.status).toBe(200);
    expect(onTask).toHaveBeenCalledOnce();
  });

  it("a replayed delivery is deduplicated; another status of the same task is not", async () => {
    const { handler, onTask } = handlerWith();
    for (let i = 0; i < 3; i++) expect((await handler(deliver(signedUrl, completed))).status).toBe(200);
    const duplicate = await handler(deliver(signedUrl, completed));
    expect(await duplicate.json()).toEqual({ received: true, delivered: false, duplicate: true });
    expect(onTask).toHaveBeenCalledOnce();
    await handler(deliver(signedUrl, { ...completed, status: "cancelled" }));
    expect(onTask).toHaveBeenCalledTimes(2);
  });

  it("concurrent copies of one delivery reach onTask once", async () => {
    const { handler, onTask } = handlerWith();
    const responses = await Promise.all(Array.from({ length: 5 }, () => handler(deliver(signedUrl, completed))));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(onTask).toHaveBeenCalledOnce();
  });

  it("forged, missing, tampered or doubled tokens → 401 before the body is read", async () => {
    const { handler, onTask } = handlerWith();
    const forged = await callbackUrl(HOOK, { secret: "attacker-secret-0123456789" });
    const tampered = signedUrl.replace("user=42", "user=43");
    const otherPath = signedUrl.replace("/api/videoretalk-hook", "/api/other-hook");
    const token = new URL(signedUrl).searchParams.get("vr_token") ?? "";
    const cases = [
      forged,
      HOOK,
      tampered,
      otherPath,
      `${signedUrl}&vr_token=${token}`,
      `${HOOK}&vr_token=`,
      `${HOOK}&vr_token=${token.slice(0, -1)}`,
      `${HOOK}&extra=1&vr_token=${token}`,
    ];
    for (const url of cases) {
      let read = false;
      const body = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            read = true;
            controller.enqueue(new TextEncoder().encode(JSON.stringify(completed)));
            controller.close();
          },
        },
        // Pulled only when someone reads, so `read` tells whether the handler did.
        { highWaterMark: 0 },
      );
      const response = await handler(
        new Request(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
          duplex: "half",
        } as RequestInit),
      );
      expect(response.status, url).toBe(401);
      expect((await response.json()).error.code).toBe("invalid_token");
      expect(read, url).toBe(false);
    }
    expect(onTask).not.toHaveBeenCalled();
  });

  it("accepts URLs signed with any secret in a rotation list", async () => {
    const oldUrl = await callbackUrl(HOOK, { secret: "old-secret-0123456789abc" });
    const { handler, onTask } = handlerWith({ secret: [SECRET, "old-secret-0123456789abc"] });
    expect((await handler(deliver(oldUrl, completed))).status).toBe(200);
    expect((await handler(deliver(signedUrl, { ...completed, id: "task-2" }))).status).toBe(200);
    expect(onTask).toHaveBeenCalledTimes(2);
  });

  it("malformed bodies → 400, nothing delivered", async () => {
    const { handler, onTask } = handlerWith();
    for (const body of [
      "{not json",
      "",
      "[]",
      "null",
      '"completed"',
      JSON.stringify({ status: "completed" }),
      JSON.stringify({ id: 5, status: "completed" }),
    ]) {
      const response = await handler(deliver(signedUrl, body));
      expect(response.status, body).toBe(400);
      expect((await response.json()).error).toBeDefined();
    }
    expect(onTask).not.toHaveBeenCalled();
  });

  it("a wrong or missing content type → 400", async () => {
    const { handler, onTask } = handlerWith();
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const response = await handler(deliver(signedUrl, completed, { "content-type": type }));
      expect(response.status, type).toBe(400);
    }
    const bare = new Request(signedUrl, {
      method: "POST",
      body: new Uint8Array(new TextEncoder().encode(JSON.stringify(completed))),
    });
    expect(bare.headers.get("content-type")).toBeNull();
    expect((await handler(bare)).status).toBe(400);
    expect(
      (await handler(deliver(signedUrl, completed, { "content-type": "application/json; charset=utf-8" }))).status,
    ).toBe(200);
    expect(onTask).toHaveBeenCalledOnce();
  });

  it("oversized bodies → 413, by header and by streamed size", async () => {
    const { handler, onTask } = handlerWith({ maxBodyBytes: 2048 });
    const big = { ...completed, padding: "x".repeat(4096) };
    expect((await handler(deliver(signedUrl, big))).status).toBe(413);
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(1024).fill(32));
      },
      cancel() {
        cancelled = true;
      },
    });
    const response = await handler(
      new Request(signedUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: stream,
        duplex: "half",
      } as RequestInit),
    );
    expect(response.status).toBe(413);
    expect(cancelled).toBe(true);
    expect(onTask).not.toHaveBeenCalled();
  });

  it("non-terminal and unknown statuses get a 2xx and never reach onTask", async () => {
    const { handler, onTask } = handlerWith();
    for (const status of ["pending", "processing", "queued"]) {
      const response = await handler(deliver(signedUrl, { ...completed, status }));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ received: true, delivered: false });
    }
    expect(onTask).not.toHaveBeenCalled();
  });

  it("onTask throwing → 500 and the key is released, so the API's retry is delivered", async () => {
    let calls = 0;
    const onTask = vi.fn(async () => {
      calls++;
      if (calls === 1) throw new Error("database down");
    });
    const onError = vi.fn();
    const { handler } = handlerWith({ onTask, onError });
    const first = await handler(deliver(signedUrl, completed));
    expect(first.status).toBe(500);
    expect(await first.text()).not.toContain("database down");
    expect(onError).toHaveBeenCalledOnce();
    const retry = await handler(deliver(signedUrl, completed));
    expect(retry.status).toBe(200);
    expect(onTask).toHaveBeenCalledTimes(2);
    expect((await handler(deliver(signedUrl, completed))).status).toBe(200);
    expect(onTask).toHaveBeenCalledTimes(2);
  });

  it("uses a custom store with the <id>:<status> key and a 24 h TTL", async () => {
    const claimed: [string, number][] = [];
    const store: WebhookStore = {
      claim: vi.fn(async (key: string, ttlMs: number) => {
        claimed.push([key, ttlMs]);
        return true;
      }),
      release: vi.fn(),
    };
    const { handler } = handlerWith({ store });
    await handler(deliver(signedUrl, completed));
    expect(claimed).toEqual([[`${completed.id}:completed`, DEDUPE_TTL_MS]]);
    expect(DEDUPE_TTL_MS).toBe(24 * 60 * 60 * 1000);
  });

  it("a failing store → 500 so the API retries; onTask not called", async () => {
    const store: WebhookStore = {
      claim: () => {
        throw new Error("redis down");
      },
      release: () => {},
    };
    const { handler, onTask } = handlerWith({ store });
    expect((await handler(deliver(signedUrl, completed))).status).toBe(500);
    expect(onTask).not.toHaveBeenCalled();
  });

  it("only POST", async () => {
    const { handler } = handlerWith();
    const response = await handler(new Request(signedUrl));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });
});

describe('verify: "refetch"', () => {
  const client = () => createVideoRetalk({ apiKey: "sk-test-refetch-0123456789", baseUrl: api.url, maxRetries: 0 });

  it("uses the API's version of the task instead of the body", async () => {
    const apiVersion = { ...completed, results: ["https://files.example.com/real.mp4"], extra: "from-api" };
    api.reply({ status: 200, body: apiVersion });
    const { handler, onTask } = handlerWith({ verify: "refetch", client: client() });
    const claimed = { ...completed, results: ["https://evil.example.com/fake.mp4"] };
    const response = await handler(deliver(signedUrl, claimed));
    expect(response.status).toBe(200);
    expect(onTask).toHaveBeenCalledOnce();
    const delivered = onTask.mock.calls[0]?.[0] as (Task & { extra?: string }) | undefined;
    expect(delivered?.extra).toBe("from-api");
    expect(delivered?.results).toEqual(["https://files.example.com/real.mp4"]);
    expect(api.received.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
      ["GET", `/v1/tasks/${completed.id}`, "Bearer sk-test-refetch-0123456789"],
    ]);
  });

  it("refuses a task the API does not know (400) or whose status differs (409)", async () => {
    const { handler, onTask } = handlerWith({ verify: "refetch", client: client() });
    api.reply({
      status: 404,
      body: { error: { code: "task_not_found", message: "nope", type: "invalid_request_error" } },
    });
    const unknown = await handler(deliver(signedUrl, completed));
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.code).toBe("unknown_task");

    api.reply({ status: 200, body: { ...completed, status: "processing" } });
    const mismatch = await handler(deliver(signedUrl, completed));
    expect(mismatch.status).toBe(409);
    expect((await mismatch.json()).error.code).toBe("task_mismatch");
    expect(onTask).not.toHaveBeenCalled();

    // Nothing was claimed, so the genuine delivery still gets through.
    api.reply({ status: 200, body: completed });
    expect((await handler(deliver(signedUrl, completed))).status).toBe(200);
    expect(onTask).toHaveBeenCalledOnce();
  });

  it("an API failure while re-reading → 502, so the API retries the delivery", async () => {
    api.reply({ status: 500, body: { error: { code: "internal_error", message: "x", type: "api_error" } } });
    const { handler, onTask } = handlerWith({ verify: "refetch", client: client() });
    expect((await handler(deliver(signedUrl, completed))).status).toBe(502);
    expect(onTask).not.toHaveBeenCalled();
  });

  it("does not re-read non-terminal deliveries", async () => {
    const { handler } = handlerWith({ verify: "refetch", client: client() });
    expect((await handler(deliver(signedUrl, { ...completed, status: "processing" }))).status).toBe(200);
    expect(api.received).toHaveLength(0);
  });
});

describe("through the node adapter", () => {
  it("delivers a real HTTP callback once", async () => {
    const onTask = vi.fn();
    const served = await serve(toNodeHandler(createWebhookHandler({ secret: SECRET, onTask })));
    try {
      const url = new URL(await callbackUrl(`${served.url}/hooks/vr?user=7`, { secret: SECRET }));
      for (let i = 0; i < 2; i++) {
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(completed),
        });
        expect(response.status).toBe(200);
      }
      expect(onTask).toHaveBeenCalledOnce();
      const forged = await fetch(`${served.url}/hooks/vr?user=8&vr_token=${url.searchParams.get("vr_token")}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(completed),
      });
      expect(forged.status).toBe(401);
    } finally {
      await served.close();
    }
  });
});

describe("createMemoryStore", () => {
  it("claims once per TTL, releases, and stays bounded", () => {
    let now = 0;
    const store = createMemoryStore({ maxEntries: 3, now: () => now });
    expect(store.claim("a", 1000)).toBe(true);
    expect(store.claim("a", 1000)).toBe(false);
    store.release("a");
    expect(store.claim("a", 1000)).toBe(true);
    now = 1000;
    expect(store.claim("a", 1000)).toBe(true);
    expect(store.claim("b", 1000)).toBe(true);
    expect(store.claim("c", 1000)).toBe(true);
    expect(store.claim("d", 1000)).toBe(true);
    // "a" was the oldest and was dropped to stay within 3 entries.
    expect(store.claim("a", 1000)).toBe(true);
    expect(store.claim("d", 1000)).toBe(false);
    expect(() => createMemoryStore({ maxEntries: 0 })).toThrow(/maxEntries/);
  });
});
