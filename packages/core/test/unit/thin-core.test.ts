/**
 * The pieces that keep the browser bundle small (issue 12): the callback rules load on demand,
 * a failed chunk load becomes a typed error, the loopback check works on any spelling, and both
 * builds (neutral: one timer per attempt; Node: one shared timer) time attempts out the same way.
 */
import { FakeClock, jsonResponse, scriptedFetch } from "@videoretalk/test-support";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  APIConnectionError,
  APITimeoutError,
  createVideoRetalk as createNeutral,
  isLoopbackHost,
  newIdempotencyKey,
  ValidationError,
  VideoRetalkError,
  type VideoRetalkOptions,
} from "../../src/index.js";
import { createVideoRetalk as createNode } from "../../src/index.node.js";
import { lazyModule } from "../../src/lazy-module.js";
import { createCreditsResource } from "../../src/resources/credits.js";
import { createLipSyncResource } from "../../src/resources/lip-sync.js";
import { OCCASIONAL_READS_LABEL, type OccasionalReads } from "../../src/resources/occasional-reads-loader.js";
import { createTasksResource } from "../../src/resources/tasks.js";
import {
  API_KEY,
  BASE_URL,
  PARAMS,
  rejection,
  rejectionOnClock,
  resourceContext,
  setup,
  TASK_ID,
  taskBody,
} from "./harness.js";

describe("lipSync.create with a callback_url (rules loaded on demand)", () => {
  it("refuses a private callback host with a ValidationError and sends nothing", async () => {
    const { client, script } = setup([]);
    const error = await rejection(client.lipSync.create({ ...PARAMS, callback_url: "https://10.0.0.7/hook" }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("callback_url");
    expect((error as Error).message).toMatch(/private address/);
    expect((error as ValidationError).idempotencyKey).toMatch(/^[A-Za-z0-9._-]{16,96}$/);
    expect(script.calls).toHaveLength(0);
  });

  it("sends the normalised callback URL it checked", async () => {
    const { client, script } = setup([jsonResponse(200, taskBody())]);
    await client.lipSync.create({ ...PARAMS, callback_url: "https://Hooks.Example.com/a/../done" });
    expect(JSON.parse(String(script.calls[0]?.body)).callback_url).toBe("https://hooks.example.com/done");
  });

  it("checks every other field before loading the callback rules", async () => {
    const { client, script } = setup([]);
    const error = await rejection(
      client.lipSync.create({ ...PARAMS, video_url: "ftp://x/v.mp4", callback_url: "https://10.0.0.7/hook" }),
    );
    expect((error as ValidationError).field).toBe("video_url");
    expect(script.calls).toHaveLength(0);
  });
});

describe("lipSync.create when the callback rules cannot be loaded", () => {
  it("fails with APIConnectionError (never connected), keeps the idempotency key and sends nothing", async () => {
    const { ctx, script } = resourceContext([jsonResponse(200, taskBody())]);
    let loads = 0;
    const lipSync = createLipSyncResource(
      ctx,
      lazyModule("callback URL check", async () => {
        loads++;
        if (loads === 1) throw new TypeError("Failed to fetch dynamically imported module");
        return import("../../src/callback-url.js");
      }),
    );
    const params = { ...PARAMS, callback_url: "https://hooks.example.com/done" };
    const error = await rejection(lipSync.create(params, { idempotencyKey: "retry-key-0123456789" }));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as APIConnectionError).connected).toBe(false);
    expect((error as APIConnectionError).idempotencyKey).toBe("retry-key-0123456789");
    expect(script.calls).toHaveLength(0);

    // The retry the error invites loads the rules again and creates the task once.
    await lipSync.create(params, { idempotencyKey: "retry-key-0123456789" });
    expect(script.calls).toHaveLength(1);
    expect(script.calls[0]?.headers["idempotency-key"]).toBe("retry-key-0123456789");
  });
});

describe("lazyModule", () => {
  it("turns a failed chunk load into APIConnectionError (never connected) and retries on the next call", async () => {
    let attempts = 0;
    const load = lazyModule("example", async () => {
      attempts++;
      if (attempts === 1) throw new TypeError("Failed to fetch dynamically imported module: /assets/x.js");
      return { answer: 42 };
    });
    const error = await rejection(load());
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as APIConnectionError).connected).toBe(false);
    expect((error as Error).message).toMatch(/Could not load the SDK's example code/);
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    await expect(load()).resolves.toEqual({ answer: 42 });
    expect(attempts).toBe(2);
  });

  it("loads once for concurrent callers", async () => {
    let attempts = 0;
    const load = lazyModule("example", async () => ({ n: ++attempts }));
    const [a, b] = await Promise.all([load(), load()]);
    expect(a).toBe(b);
    expect(attempts).toBe(1);
  });
});

describe("idempotency keys from Web Crypto", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("are vr_ and 32 random hex digits, inside the gateway's pattern", () => {
    const keys = new Set(Array.from({ length: 50 }, () => newIdempotencyKey()));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(key).toMatch(/^vr_[0-9a-f]{32}$/);
  });

  it("without Web Crypto, a create fails with a typed error that says how to go on, and sends nothing", async () => {
    const { client, script } = setup([]);
    vi.stubGlobal("crypto", undefined);
    const error = await rejection(client.lipSync.create(PARAMS));
    expect(error).toBeInstanceOf(VideoRetalkError);
    expect((error as Error).message).toMatch(/Web Crypto.*idempotencyKey/);
    expect(script.calls).toHaveLength(0);
  });

  it("without Web Crypto, a create with its own idempotencyKey still goes through", async () => {
    const { client, script, clock } = setup([jsonResponse(200, taskBody({ status: "pending" }))]);
    vi.stubGlobal("crypto", undefined);
    const key = "caller-key-0123456789";
    await clock.runUntilSettled(client.lipSync.create(PARAMS, { idempotencyKey: key }));
    expect(script.calls[0]?.headers["idempotency-key"]).toBe(key);
  });
});

describe("the balance and the batch read share one lazily loaded chunk", () => {
  it("a failed load fails the read that asked, sends nothing, and the other read loads it next", async () => {
    const { ctx, script } = resourceContext([jsonResponse(200, { data: [taskBody({ status: "completed" })] })]);
    let loads = 0;
    const load = lazyModule(OCCASIONAL_READS_LABEL, async (): Promise<OccasionalReads> => {
      loads++;
      if (loads === 1) throw new TypeError("Failed to fetch dynamically imported module");
      return import("../../src/resources/occasional-reads.js");
    });
    const credits = createCreditsResource(ctx, load);
    const tasks = createTasksResource(ctx, load);
    const error = await rejection(credits.get());
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as APIConnectionError).connected).toBe(false);
    expect((error as Error).message).toContain(OCCASIONAL_READS_LABEL);
    expect(script.calls).toHaveLength(0);
    await expect(tasks.getMany([TASK_ID])).resolves.toHaveLength(1);
    expect(loads).toBe(2);
  });
});

describe("isLoopbackHost", () => {
  it.each([
    ["localhost", true],
    ["LOCALHOST.", true],
    ["api.localhost", true],
    ["127.0.0.1", true],
    ["127.1", true],
    ["0x7f.0.0.1", true],
    ["127.255.255.254", true],
    ["[::1]", true],
    ["[0:0:0:0:0:0:0:1]", true],
    ["[::ffff:127.0.0.1]", false],
    ["128.0.0.1", false],
    ["10.0.0.1", false],
    ["[::2]", false],
    ["localhost.example.com", false],
    ["127.0.0.1.nip.io", false],
    ["not a host", false],
    ["", false],
    // More than a host: another parser could read a different host out of these.
    ["evil.example@127.0.0.1", false],
    ["127.0.0.1/x.evil.example", false],
    ["127.0.0.1:80", false],
    ["127.0.0.1#.evil.example", false],
    ["127.0.0.1?.evil.example", false],
    ["localhost\\evil.example", false],
    ["%6c%6f%63%61%6c%68%6f%73%74", false],
    ["[::1]:4010", false],
  ])("%s → %s", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

const builds = [
  { name: "neutral build (a timer per attempt)", create: createNeutral },
  { name: "Node build (one shared timer)", create: createNode },
];

describe.each(builds)("attempt time limits: $name", ({ create }) => {
  function client(steps: Parameters<typeof scriptedFetch>[0], options: VideoRetalkOptions = {}) {
    const clock = new FakeClock();
    const script = scriptedFetch(steps);
    const sdk = create({
      apiKey: API_KEY,
      baseUrl: BASE_URL,
      fetch: script.fetch,
      clock,
      random: () => 0.5,
      ...options,
    });
    return { sdk, clock, script };
  }

  it("times an unanswered attempt out at exactly timeoutMs", async () => {
    const { sdk, clock } = client(["hang"], { maxRetries: 0 });
    const start = clock.now();
    const error = await rejectionOnClock(clock, sdk.tasks.get(TASK_ID, { timeoutMs: 1_500 }));
    expect(error).toBeInstanceOf(APITimeoutError);
    expect(clock.now() - start).toBe(1_500);
  });

  it("retries after a timeout and returns the answer of the next attempt", async () => {
    const { sdk, clock, script } = client(["hang", jsonResponse(200, taskBody({ status: "completed" }))]);
    const task = await clock.runUntilSettled(sdk.tasks.get(TASK_ID, { timeoutMs: 1_000 }));
    expect(task.status).toBe("completed");
    expect(script.calls).toHaveLength(2);
  });

  it("leaves no timer behind once a call is answered", async () => {
    const { sdk, clock } = client([jsonResponse(200, taskBody())]);
    await clock.runUntilSettled(sdk.tasks.get(TASK_ID));
    await clock.advance(60_000);
    expect(clock.pendingTimers()).toBe(0);
  });
});
