import { FakeClock, jsonResponse, scriptedFetch } from "@videoretalk/test-support";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  API_KEY_ENV,
  BASE_URL_ENV,
  createVideoRetalk,
  DEFAULT_BASE_URL,
  FILES_BASE_URL_ENV,
  ValidationError,
  type VideoRetalkOptions,
} from "../../src/index.js";
import { API_KEY, BASE_URL, PARAMS, rejection, setup, TASK_ID, taskBody } from "./harness.js";

const ENV_NAMES = [API_KEY_ENV, BASE_URL_ENV, FILES_BASE_URL_ENV] as const;
let savedEnv: Record<string, string | undefined>;

beforeEach(() => {
  savedEnv = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));
  for (const name of ENV_NAMES) delete process.env[name];
});

afterEach(() => {
  for (const name of ENV_NAMES) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
});

/** A client built without the harness defaults, so env-var fallbacks apply. */
function bare(options: VideoRetalkOptions = {}) {
  const clock = new FakeClock();
  const script = scriptedFetch([jsonResponse(200, taskBody()), jsonResponse(200, taskBody())]);
  const client = createVideoRetalk({ fetch: script.fetch, clock, random: () => 0, ...options });
  return { client, clock, script };
}

/** Runs `fn` and expects a synchronous ValidationError naming `field`. */
function expectOptionRefused(fn: () => unknown, field: string): ValidationError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ValidationError);
  expect((thrown as ValidationError).field).toBe(field);
  return thrown as ValidationError;
}

describe("API key", () => {
  it("a missing key is reported by the first request, naming EVOLINK_API_KEY, with nothing sent", async () => {
    const { client, script } = bare({ baseUrl: BASE_URL });
    for (const call of [() => client.tasks.get(TASK_ID), () => client.lipSync.create(PARAMS)]) {
      const error = await rejection(call());
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe("apiKey");
      expect((error as ValidationError).message).toContain("EVOLINK_API_KEY");
    }
    expect(script.calls).toHaveLength(0);
  });

  it("createVideoRetalk() itself does not throw without a key", () => {
    expect(() => createVideoRetalk()).not.toThrow();
  });

  it("request methods return a rejected promise instead of throwing", () => {
    const { client } = bare({ baseUrl: BASE_URL });
    let pending: Promise<unknown> | undefined;
    expect(() => {
      pending = client.tasks.get(TASK_ID);
    }).not.toThrow();
    return expect(pending).rejects.toBeInstanceOf(ValidationError);
  });

  it("reads EVOLINK_API_KEY", async () => {
    process.env[API_KEY_ENV] = "  sk-from-env-0123456789  ";
    const { client, clock, script } = bare({ baseUrl: BASE_URL });
    await clock.runUntilSettled(client.tasks.get(TASK_ID));
    expect(script.calls[0]?.headers.authorization).toBe("Bearer sk-from-env-0123456789");
  });

  it("an explicit apiKey wins over the env var", async () => {
    process.env[API_KEY_ENV] = "sk-from-env-0123456789";
    const { client, clock, script } = bare({ baseUrl: BASE_URL, apiKey: "sk-explicit-0123456789" });
    await clock.runUntilSettled(client.tasks.get(TASK_ID));
    expect(script.calls[0]?.headers.authorization).toBe("Bearer sk-explicit-0123456789");
  });

  it("apiKey: null sends no Authorization header and raises no missing-key error", async () => {
    process.env[API_KEY_ENV] = "sk-from-env-0123456789";
    const { client, clock, script } = bare({ baseUrl: "https://my-app.example/api/videoretalk", apiKey: null });
    await clock.runUntilSettled(client.tasks.get(TASK_ID));
    await clock.runUntilSettled(client.lipSync.create(PARAMS));
    expect(script.calls).toHaveLength(2);
    for (const call of script.calls) expect(call.headers).not.toHaveProperty("authorization");
    expect(script.calls[0]?.url).toBe(`https://my-app.example/api/videoretalk/v1/tasks/${TASK_ID}`);
  });

  it.each<[string, unknown]>([
    ["a space", "sk live 0123"],
    ["a line break", "sk-live\n0123"],
    ["an empty string", ""],
    ["only whitespace", "   "],
    ["a non-string", 12345],
  ])("refuses a key with %s synchronously, without echoing it", (_, apiKey) => {
    const error = expectOptionRefused(() => createVideoRetalk({ apiKey: apiKey as string }), "apiKey");
    if (typeof apiKey === "string" && apiKey.trim() !== "") expect(error.message).not.toContain(apiKey);
  });
});

describe("base URL", () => {
  it(`defaults to ${DEFAULT_BASE_URL}`, async () => {
    const { client, clock, script } = bare({ apiKey: API_KEY });
    expect(client.baseUrl).toBe("https://api.evolink.ai");
    await clock.runUntilSettled(client.tasks.get(TASK_ID));
    expect(script.calls[0]?.url).toBe(`https://api.evolink.ai/v1/tasks/${TASK_ID}`);
  });

  it("reads EVOLINK_BASE_URL", async () => {
    process.env[BASE_URL_ENV] = "http://127.0.0.1:4010/";
    const { client, clock, script } = bare({ apiKey: API_KEY });
    expect(client.baseUrl).toBe("http://127.0.0.1:4010");
    await clock.runUntilSettled(client.lipSync.create(PARAMS));
    expect(script.calls[0]?.url).toBe("http://127.0.0.1:4010/v1/videos/generations");
  });

  it("an explicit baseUrl wins over the env var, trailing slashes dropped", async () => {
    process.env[BASE_URL_ENV] = "http://127.0.0.1:4010";
    const { client, clock, script } = bare({ apiKey: API_KEY, baseUrl: "https://proxy.example/prefix//" });
    await clock.runUntilSettled(client.tasks.get(TASK_ID));
    expect(script.calls[0]?.url).toBe(`https://proxy.example/prefix/v1/tasks/${TASK_ID}`);
  });

  it("a bad EVOLINK_BASE_URL is refused synchronously", () => {
    process.env[BASE_URL_ENV] = "api.evolink.ai";
    expectOptionRefused(() => createVideoRetalk({ apiKey: API_KEY }), "baseUrl");
  });
});

describe("plain http to another machine (issue 8 item 13)", () => {
  it.each([
    ["baseUrl", { baseUrl: "http://api.evolink.ai" }],
    ["baseUrl", { baseUrl: "http://10.0.0.5:4010" }],
    ["baseUrl", { baseUrl: "http://proxy.internal.example/v" }],
    ["filesBaseUrl", { filesBaseUrl: "http://files-api.evolink.ai" }],
  ] as const)("refuses a key over http: %s %j, with nothing sent", (field, options) => {
    const script = scriptedFetch([jsonResponse(200, taskBody())]);
    const error = expectOptionRefused(
      () => createVideoRetalk({ apiKey: API_KEY, fetch: script.fetch, ...options }),
      field,
    );
    expect(error.message).toMatch(/allowInsecureHttp/);
    expect(error.message).not.toContain(API_KEY);
    expect(script.calls).toHaveLength(0);
  });

  it("refuses an http EVOLINK_BASE_URL when the key comes from EVOLINK_API_KEY", () => {
    process.env[API_KEY_ENV] = API_KEY;
    process.env[BASE_URL_ENV] = "http://api.example.net";
    expectOptionRefused(() => createVideoRetalk({}), "baseUrl");
  });

  it.each([
    "http://127.0.0.1:4010",
    "http://127.8.9.10",
    "http://localhost:3000",
    "http://LOCALHOST.:3000",
    "http://emulator.localhost",
    "http://[::1]:4010",
    "http://0.0.0.0:4010",
    "http://[::]:4010",
  ])("allows loopback %s", async (baseUrl) => {
    const { client, clock, script } = bare({ apiKey: API_KEY, baseUrl });
    await clock.runUntilSettled(client.tasks.get(TASK_ID));
    expect(script.calls[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("allows it with allowInsecureHttp: true", async () => {
    const { client, clock, script } = bare({
      apiKey: API_KEY,
      baseUrl: "http://10.0.0.5:4010",
      allowInsecureHttp: true,
    });
    await clock.runUntilSettled(client.tasks.get(TASK_ID));
    expect(script.calls[0]?.url).toBe(`http://10.0.0.5:4010/v1/tasks/${TASK_ID}`);
  });

  it("allows it with apiKey: null, since no key is sent", async () => {
    const { client, clock, script } = bare({ apiKey: null, baseUrl: "http://app.example.net/api" });
    await clock.runUntilSettled(client.tasks.get(TASK_ID));
    expect(script.calls[0]?.url).toBe(`http://app.example.net/api/v1/tasks/${TASK_ID}`);
    expect(script.calls[0]?.headers.authorization).toBeUndefined();
  });
});

describe("bad options throw synchronously, naming the option", () => {
  it.each<[string, VideoRetalkOptions, string]>([
    ["baseUrl not a URL", { baseUrl: "not a url" }, "baseUrl"],
    ["baseUrl with ftp", { baseUrl: "ftp://api.example.com" }, "baseUrl"],
    ["baseUrl empty", { baseUrl: "" }, "baseUrl"],
    ["timeoutMs 0", { timeoutMs: 0 }, "timeoutMs"],
    ["timeoutMs -1", { timeoutMs: -1 }, "timeoutMs"],
    ["timeoutMs NaN", { timeoutMs: Number.NaN }, "timeoutMs"],
    ["timeoutMs Infinity", { timeoutMs: Number.POSITIVE_INFINITY }, "timeoutMs"],
    ["timeoutMs as a string", { timeoutMs: "1000" as unknown as number }, "timeoutMs"],
    ["deadlineMs 0", { deadlineMs: 0 }, "deadlineMs"],
    ["deadlineMs -5", { deadlineMs: -5 }, "deadlineMs"],
    ["maxRetries -1", { maxRetries: -1 }, "maxRetries"],
    ["maxRetries 1.5", { maxRetries: 1.5 }, "maxRetries"],
    ["maxRetries NaN", { maxRetries: Number.NaN }, "maxRetries"],
    ["fetch not a function", { fetch: "fetch" as unknown as typeof fetch }, "fetch"],
    ["apiKey with a space", { apiKey: "sk live" }, "apiKey"],
  ])("%s", (_, options, field) => {
    const error = expectOptionRefused(() => createVideoRetalk({ apiKey: API_KEY, ...options }), field);
    expect(error.message).toContain(field);
  });

  it("accepts maxRetries 0 and small positive timeouts", () => {
    expect(() => createVideoRetalk({ apiKey: API_KEY, maxRetries: 0, timeoutMs: 1, deadlineMs: 1 })).not.toThrow();
  });
});

describe("headers", () => {
  it("sends client and per-call headers, per-call winning", async () => {
    const { client, clock, script } = setup([jsonResponse(200, taskBody())], {
      headers: { "X-App": "demo", "X-Trace": "client" },
    });
    await clock.runUntilSettled(client.tasks.get(TASK_ID, { headers: { "x-trace": "call" } }));
    expect(script.calls[0]?.headers).toMatchObject({ "x-app": "demo", "x-trace": "call" });
  });
});

describe("browser guard", () => {
  const g = globalThis as { window?: unknown };
  let hadWindow: boolean;
  let savedWindow: unknown;

  beforeEach(() => {
    hadWindow = "window" in g;
    savedWindow = g.window;
    g.window = { document: {} };
  });

  afterEach(() => {
    if (hadWindow) g.window = savedWindow;
    else delete g.window;
  });

  it("refuses to start in a browser and points at @videoretalk/server", () => {
    const error = expectOptionRefused(() => createVideoRetalk({ apiKey: API_KEY }), "dangerouslyAllowBrowser");
    expect(error.message).toContain("@videoretalk/server");
    expect(error.message).not.toContain(API_KEY);
  });

  it("still applies with apiKey: null", () => {
    expectOptionRefused(() => createVideoRetalk({ apiKey: null, baseUrl: BASE_URL }), "dangerouslyAllowBrowser");
  });

  it("works with dangerouslyAllowBrowser: true", async () => {
    const { client, clock, script } = setup([jsonResponse(200, taskBody())], {
      apiKey: null,
      baseUrl: "https://my-app.example/api/videoretalk",
      dangerouslyAllowBrowser: true,
    });
    const task = await clock.runUntilSettled(client.tasks.get(TASK_ID));
    expect(task.id).toBe(TASK_ID);
    expect(script.calls).toHaveLength(1);
  });
});

describe("client.raw", () => {
  // client.raw loads openapi-fetch with import() on its first call; loading it once here keeps
  // that real module I/O out of the fake-clock runs below.
  beforeAll(() => import("../../src/raw-openapi.js"));

  it("shares authentication and retries (raw.GET with a 503, then 200)", async () => {
    const { client, clock, script } = setup([
      jsonResponse(503, { error: { message: "busy" } }),
      jsonResponse(200, taskBody({ status: "processing", progress: 40 })),
    ]);
    const result = await clock.runUntilSettled(
      client.raw.GET("/v1/tasks/{task_id}", { params: { path: { task_id: TASK_ID } } }),
    );
    expect(result.error).toBeUndefined();
    expect(result.data).toMatchObject({ id: TASK_ID, status: "processing", progress: 40 });
    expect(script.calls).toHaveLength(2);
    for (const call of script.calls) {
      expect(call.url).toBe(`${BASE_URL}/v1/tasks/${TASK_ID}`);
      expect(call.headers.authorization).toBe(`Bearer ${API_KEY}`);
    }
  });

  it("returns HTTP errors as { error, response } instead of throwing", async () => {
    const { client, clock, script } = setup([
      jsonResponse(404, { error: { code: "task_not_found", message: "nope" } }),
    ]);
    const result = await clock.runUntilSettled(
      client.raw.GET("/v1/tasks/{task_id}", { params: { path: { task_id: TASK_ID } } }),
    );
    expect(result.data).toBeUndefined();
    expect(result.response.status).toBe(404);
    expect(result.error).toMatchObject({ error: { code: "task_not_found" } });
    expect(script.calls).toHaveLength(1);
  });

  it("raw.POST gets one idempotency key and the same body on every attempt, and no retry on a 500", async () => {
    const script = scriptedFetch([
      jsonResponse(503, { error: { message: "busy" } }),
      jsonResponse(500, { error: { message: "oops" } }),
      jsonResponse(200, taskBody()),
    ]);
    const bodies: string[] = [];
    const recordBody: typeof fetch = async (input, init) => {
      bodies.push(await new Response(init?.body).text());
      return script.fetch(input, init);
    };
    const clock = new FakeClock();
    const client = createVideoRetalk({ apiKey: API_KEY, baseUrl: BASE_URL, fetch: recordBody, clock, random: () => 0 });
    const result = await clock.runUntilSettled(
      client.raw.POST("/v1/videos/generations", { body: { model: "videoretalk", ...PARAMS } }),
    );
    expect(result.response.status).toBe(500);
    expect(script.calls).toHaveLength(2);
    const [first, second] = script.calls;
    expect(first?.headers["idempotency-key"]).toMatch(/^[A-Za-z0-9._-]{16,96}$/);
    expect(second?.headers["idempotency-key"]).toBe(first?.headers["idempotency-key"]);
    expect(first?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(bodies.map((body) => JSON.parse(body))).toEqual([
      { model: "videoretalk", ...PARAMS },
      { model: "videoretalk", ...PARAMS },
    ]);
  });

  it("a missing key rejects a raw call too, with nothing sent", async () => {
    const { client, script } = bare({ baseUrl: BASE_URL });
    const error = await rejection(client.raw.GET("/v1/tasks/{task_id}", { params: { path: { task_id: TASK_ID } } }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(script.calls).toHaveLength(0);
  });
});
