import { createVideoRetalk, type Task, ValidationError } from "@videoretalk/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  CALLBACK_TOKEN_PARAM,
  callbackUrl,
  createMemoryStore,
  createWebhookHandler,
  DEDUPE_TTL_MS,
  DEFAULT_CLAIM_TTL_MS,
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

describe("callbackUrl refuses URLs that parsers read differently (issue 8 item 1)", () => {
  it.each([
    "https://app.example.com\\@evil.example/hook",
    "https://user:pass@app.example.com/hook",
    "https://app.example.com@evil.example/hook",
    "https://app.example.com/ho ok",
    " https://app.example.com/hook",
    "https://app.example.com/hook\n",
    "https://app.exa\tmple.com/hook",
    "https://app.example.com/hook\u0000",
  ])("%j", async (url) => {
    const error = await callbackUrl(url, { secret: SECRET }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("baseUrl");
  });

  it("returns the normalised URL it signed", async () => {
    const url = await callbackUrl("https://APP.example.com:443/a/../hook?user=1", { secret: SECRET });
    expect(url).toMatch(/^https:\/\/app\.example\.com\/hook\?user=1&vr_token=[A-Za-z0-9_-]{43}$/);
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
    const odd = await callbackUrl("https://app.example.com/hook/ü%20x?a=b%20c&name=%E2%9C%93&q='y'&&flag", {
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

  it("a replayed delivery is deduplicated, and so is another terminal status of the same task", async () => {
    const { handler, onTask } = handlerWith();
    for (let i = 0; i < 3; i++) expect((await handler(deliver(signedUrl, completed))).status).toBe(200);
    const duplicate = await handler(deliver(signedUrl, completed));
    expect(await duplicate.json()).toEqual({ received: true, delivered: false, duplicate: true });
    expect(onTask).toHaveBeenCalledOnce();
    const cancelled = await handler(deliver(signedUrl, { ...completed, status: "cancelled" }));
    expect(await cancelled.json()).toEqual({ received: true, delivered: false, duplicate: true });
    expect(onTask).toHaveBeenCalledOnce();
  });

  it("concurrent copies of one delivery reach onTask once; the others are told to retry", async () => {
    let finish: () => void = () => {};
    const onTask = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    );
    const { handler } = handlerWith({ onTask });
    const settled: Response[] = [];
    let fourAnswered: () => void = () => {};
    const answeredFour = new Promise<void>((resolve) => {
      fourAnswered = resolve;
    });
    const pending = Array.from({ length: 5 }, () =>
      handler(deliver(signedUrl, completed)).then((response) => {
        settled.push(response);
        if (settled.length === 4) fourAnswered();
        return response;
      }),
    );
    // The four copies are answered while the first is still inside onTask (if they waited for
    // it instead, this would never resolve and the test would time out).
    await answeredFour;
    expect(settled.map((r) => r.status)).toEqual([409, 409, 409, 409]);
    for (const response of settled) expect(response.headers.get("retry-after")).toBe("5");
    finish();
    const responses = await Promise.all(pending);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(onTask).toHaveBeenCalledOnce();
    const later = await handler(deliver(signedUrl, completed));
    expect(await later.json()).toEqual({ received: true, delivered: false, duplicate: true });
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

  it("a copy arriving while a slow onTask runs gets 409, and reaches onTask once the first fails", async () => {
    let finishFirst: (error?: Error) => void = () => {};
    let entered: () => void = () => {};
    const firstEntered = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let calls = 0;
    const onTask = vi.fn(
      () =>
        new Promise<void>((resolve, reject) => {
          calls++;
          if (calls > 1) return resolve();
          finishFirst = (error) => (error ? reject(error) : resolve());
          entered();
        }),
    );
    const { handler } = handlerWith({ onTask });
    const first = handler(deliver(signedUrl, completed));
    await firstEntered;
    const copy = await handler(deliver(signedUrl, completed));
    expect(copy.status).toBe(409);
    expect(copy.headers.get("retry-after")).toBe("5");
    expect((await copy.json()).error.code).toBe("delivery_in_progress");
    finishFirst(new Error("database down"));
    expect((await first).status).toBe(500);
    const retry = await handler(deliver(signedUrl, completed));
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ received: true, delivered: true });
    expect(onTask).toHaveBeenCalledTimes(2);
  });

  it("when onTask and release() both fail, the claim expires and a later retry reaches onTask", async () => {
    let now = 1_000_000;
    const memory = createMemoryStore({ now: () => now });
    const store: WebhookStore = {
      claim: (key, ttl) => memory.claim(key, ttl),
      complete: (key, ttl) => memory.complete?.(key, ttl),
      isDelivered: (key) => memory.isDelivered?.(key) ?? false,
      release: () => {
        throw new Error("store unreachable");
      },
    };
    let calls = 0;
    const onTask = vi.fn(async () => {
      calls++;
      if (calls === 1) throw new Error("database down");
    });
    const onError = vi.fn();
    const { handler } = handlerWith({ store, onTask, onError, claimTtlMs: 30_000 });
    expect((await handler(deliver(signedUrl, completed))).status).toBe(500);
    expect(onError).toHaveBeenCalledTimes(2);
    // Still claimed: a retry inside the claim's life is told to come back, not acknowledged.
    now += 29_999;
    expect((await handler(deliver(signedUrl, completed))).status).toBe(409);
    now += 1;
    const retry = await handler(deliver(signedUrl, completed));
    expect(retry.status).toBe(200);
    expect(onTask).toHaveBeenCalledTimes(2);
    // Delivered now: remembered for 24 h, not for the claim's 30 s.
    now += 60 * 60 * 1000;
    expect(await (await handler(deliver(signedUrl, completed))).json()).toMatchObject({ duplicate: true });
    expect(onTask).toHaveBeenCalledTimes(2);
  });

  it("token mode: completed then failed for one task reaches onTask once (issue 8 item 6)", async () => {
    const { handler, onTask } = handlerWith();
    expect((await handler(deliver(signedUrl, completed))).status).toBe(200);
    const failed = { ...completed, status: "failed", error: { code: "x", message: "forged" } };
    const second = await handler(deliver(signedUrl, failed));
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ received: true, delivered: false, duplicate: true });
    expect(onTask).toHaveBeenCalledOnce();
    expect(onTask.mock.calls[0]?.[0].status).toBe("completed");
  });

  it("refuses a bad claimTtlMs or a store with a non-function complete", () => {
    expect(() => handlerWith({ claimTtlMs: 0 })).toThrow(/claimTtlMs/);
    expect(() =>
      handlerWith({ store: { claim: () => true, release: () => {}, complete: 1 } as unknown as WebhookStore }),
    ).toThrow(/store/);
  });

  it("a minimal custom store (claim/release only): in-flight claim first, then the 24 h record", async () => {
    const calls: string[] = [];
    const store: WebhookStore = {
      claim: vi.fn(async (key: string, ttlMs: number) => {
        calls.push(`claim ${key} ${ttlMs}`);
        return true;
      }),
      release: vi.fn(async (key: string) => {
        calls.push(`release ${key}`);
      }),
    };
    const { handler } = handlerWith({ store });
    await handler(deliver(signedUrl, completed));
    expect(calls).toEqual([
      `claim task:${completed.id} ${DEFAULT_CLAIM_TTL_MS}`,
      `release task:${completed.id}`,
      `claim task:${completed.id} ${DEDUPE_TTL_MS}`,
    ]);
    expect(DEDUPE_TTL_MS).toBe(24 * 60 * 60 * 1000);
    expect(DEFAULT_CLAIM_TTL_MS).toBeLessThan(DEDUPE_TTL_MS);
  });

  it("a minimal custom store that finds the key taken answers 409, never a 200 it cannot vouch for", async () => {
    const store: WebhookStore = { claim: () => false, release: () => {} };
    const { handler, onTask } = handlerWith({ store });
    const response = await handler(deliver(signedUrl, completed));
    expect(response.status).toBe(409);
    expect(onTask).not.toHaveBeenCalled();
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

describe("createMemoryStore delivered records", () => {
  it("tells a claimed key from a delivered one, and completion outlives the claim", () => {
    let now = 0;
    const store = createMemoryStore({ now: () => now });
    expect(store.claim("k", 100)).toBe(true);
    expect(store.isDelivered?.("k")).toBe(false);
    expect(store.claim("k", 100)).toBe(false);
    store.complete?.("k", 10_000);
    expect(store.isDelivered?.("k")).toBe(true);
    now = 5_000;
    expect(store.claim("k", 100)).toBe(false);
    expect(store.isDelivered?.("k")).toBe(true);
    now = 10_000;
    expect(store.isDelivered?.("k")).toBe(false);
    expect(store.claim("k", 100)).toBe(true);
  });

  it("an unfinished claim simply expires", () => {
    let now = 0;
    const store = createMemoryStore({ now: () => now });
    expect(store.claim("k", 100)).toBe(true);
    now = 99;
    expect(store.claim("k", 100)).toBe(false);
    now = 100;
    expect(store.claim("k", 100)).toBe(true);
  });
});
