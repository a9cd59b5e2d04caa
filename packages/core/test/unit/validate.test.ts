import { jsonResponse } from "@videoretalk/test-support";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/index.js";
import {
  parseUnambiguousUrl,
  refusedHostReason,
  validateCreateParams,
  validateIdempotencyKey,
  validateTaskId,
} from "../../src/validation.js";
import { PARAMS, rejection, setup, TASK_ID, taskBody } from "./harness.js";

/** Expects `fn` to throw a ValidationError naming `field`, and returns it. */
function expectInvalid(fn: () => unknown, field: string): ValidationError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ValidationError);
  expect((thrown as ValidationError).field).toBe(field);
  expect((thrown as ValidationError).message).toContain(field);
  return thrown as ValidationError;
}

/** Sends `params` through lipSync.create and expects a ValidationError naming `field` with nothing sent. */
async function expectCreateRefused(params: unknown, field: string): Promise<ValidationError> {
  const { client, script } = setup([jsonResponse(200, taskBody())]);
  const error = await rejection(client.lipSync.create(params as typeof PARAMS));
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).field).toBe(field);
  expect(script.calls).toHaveLength(0);
  return error as ValidationError;
}

const withField = (field: string, value: unknown) => ({ ...PARAMS, [field]: value });

describe("validateCreateParams", () => {
  it("accepts the minimal parameters and defaults model to videoretalk", () => {
    expect(validateCreateParams({ ...PARAMS })).toEqual({ ...PARAMS, model: "videoretalk" });
  });

  it("accepts every documented field", () => {
    const full = {
      model: "videoretalk",
      ...PARAMS,
      ref_image_url: "https://cdn.example.com/face.jpg",
      video_extension: true,
      query_face_threshold: 170,
      callback_url: "https://hooks.example.com/videoretalk?token=abc",
    };
    expect(validateCreateParams(full)).toEqual(full);
  });

  it.each([null, undefined, "https://x", 42, [PARAMS]])("rejects %j as the parameters object", async (params) => {
    expect(() => validateCreateParams(params)).toThrow(/expects a parameters object/);
    const error = await expectCreateRefused(params, "params");
    expect(error.message).toMatch(/parameters object/);
  });

  describe.each(["video_url", "audio_url"])("%s", (field) => {
    it("is required", () => {
      const params: Record<string, unknown> = { ...PARAMS };
      delete params[field];
      const error = expectInvalid(() => validateCreateParams(params), field);
      expect(error.message).toMatch(/non-empty URL/);
    });

    it.each<[string, unknown]>([
      ["a number", 42],
      ["an object", { href: "https://x.example/a.mp4" }],
      ["a boolean", true],
      ["an empty string", ""],
      ["whitespace", "   "],
      ["a relative URL", "/media/speaker.mp4"],
      ["a bare file name", "speaker.mp4"],
      ["an ftp URL", "ftp://files.example.com/speaker.mp4"],
      ["a file URL", "file:///tmp/speaker.mp4"],
      ["a data URL", "data:video/mp4;base64,AAAA"],
      ["a javascript URL", "javascript:alert(1)"],
    ])("rejects %s", (_, value) => {
      expectInvalid(() => validateCreateParams(withField(field, value)), field);
    });

    it("rejects null rather than treating it as missing", () => {
      expectInvalid(() => validateCreateParams(withField(field, null)), field);
    });

    it.each([
      "http://cdn.example.com/a.mp4",
      "https://cdn.example.com/a%20b.mp4?sig=1&exp=2",
      "http://127.0.0.1:4010/samples/a.mp4",
      "http://localhost:8080/a.mp4",
      "https://192.168.1.10/a.mp4",
    ])("allows %s (host rules apply to callback_url only)", (value) => {
      expect(() => validateCreateParams(withField(field, value))).not.toThrow();
    });

    it("is checked through lipSync.create before anything is sent", async () => {
      await expectCreateRefused(withField(field, "not a url"), field);
    });
  });

  describe("ref_image_url", () => {
    it("is optional", () => {
      expect(validateCreateParams({ ...PARAMS })).not.toHaveProperty("ref_image_url");
    });
    it.each<unknown>([42, "", "face.jpg", "ftp://x.example/face.jpg", null])("rejects %j", (value) => {
      expectInvalid(() => validateCreateParams(withField("ref_image_url", value)), "ref_image_url");
    });
  });

  describe("model", () => {
    it.each<unknown>(["videoretalk-2", "VideoRetalk", "", 1, null, true])("rejects %j", (value) => {
      expectInvalid(() => validateCreateParams(withField("model", value)), "model");
    });
  });

  describe("video_extension", () => {
    it.each([true, false])("accepts %s", (value) => {
      expect(validateCreateParams(withField("video_extension", value)).video_extension).toBe(value);
    });
    it.each<unknown>(["true", 1, 0, null, {}])("rejects %j", (value) => {
      expectInvalid(() => validateCreateParams(withField("video_extension", value)), "video_extension");
    });
  });

  describe("query_face_threshold", () => {
    it.each([120, 150, 170, 200])("accepts %i", (value) => {
      expect(validateCreateParams(withField("query_face_threshold", value)).query_face_threshold).toBe(value);
    });
    it.each<unknown>([119, 201, 0, -150, 150.5, "150", Number.NaN, Number.POSITIVE_INFINITY, null, true])(
      "rejects %j",
      (value) => {
        const error = expectInvalid(
          () => validateCreateParams(withField("query_face_threshold", value)),
          "query_face_threshold",
        );
        if (value !== null) expect(error.message).toMatch(/120.*200/);
      },
    );
  });

  describe("unknown keys", () => {
    it.each(["videoUrl", "prompt", "callbackUrl", "__proto_", "Model"])("rejects %s by name", (key) => {
      expectInvalid(() => validateCreateParams(withField(key, "x")), key);
    });
  });

  describe.each(["ref_image_url", "video_extension", "query_face_threshold", "callback_url"])(
    "optional %s",
    (field) => {
      it("must be omitted rather than null", () => {
        const error = expectInvalid(() => validateCreateParams(withField(field, null)), field);
        expect(error.message).toMatch(/omitted/);
      });
    },
  );
});

describe("callback_url", () => {
  const refused: Array<[string, string]> = [
    ["plain http", "http://hooks.example.com/cb"],
    ["a relative URL", "/cb"],
    ["a non-string", 42 as unknown as string],
    ["an empty string", ""],
    ["localhost", "https://localhost/cb"],
    ["LOCALHOST with a port", "https://LOCALHOST:8443/cb"],
    ["localhost with a trailing dot", "https://localhost./cb"],
    ["*.localhost", "https://app.localhost/cb"],
    ["127.0.0.1", "https://127.0.0.1/cb"],
    ["127.1 (WHATWG-normalised)", "https://127.1/cb"],
    ["0x7f.0.0.1 (hex octet)", "https://0x7f.0.0.1/cb"],
    ["2130706433 (decimal IPv4)", "https://2130706433/cb"],
    ["127.255.255.254", "https://127.255.255.254/cb"],
    ["10.x", "https://10.1.2.3/cb"],
    ["172.16.x", "https://172.16.0.1/cb"],
    ["172.31.x", "https://172.31.255.254/cb"],
    ["192.168.x", "https://192.168.0.10/cb"],
    ["169.254.x (link-local, cloud metadata)", "https://169.254.169.254/latest/meta-data"],
    ["100.64.x (carrier-grade NAT)", "https://100.64.0.1/cb"],
    ["100.127.x (carrier-grade NAT)", "https://100.127.255.1/cb"],
    ["0.0.0.0", "https://0.0.0.0/cb"],
    ["[::1]", "https://[::1]/cb"],
    ["[::]", "https://[::]/cb"],
    ["[fe80::1]", "https://[fe80::1]/cb"],
    ["[fc00::1]", "https://[fc00::1]/cb"],
    ["[fd12:3456::1]", "https://[fd12:3456::1]/cb"],
    ["[::ffff:127.0.0.1]", "https://[::ffff:127.0.0.1]/cb"],
    ["[::ffff:10.0.0.1]", "https://[::ffff:10.0.0.1]/cb"],
    ["[::ffff:7f00:1] (hex mapped)", "https://[::ffff:7f00:1]/cb"],
  ];

  it.each(refused)("refuses %s", (_, url) => {
    expectInvalid(() => validateCreateParams(withField("callback_url", url)), "callback_url");
  });

  it.each(refused)("refuses %s through lipSync.create with nothing sent", async (_, url) => {
    await expectCreateRefused(withField("callback_url", url), "callback_url");
  });

  it("explains why http is refused", () => {
    const error = expectInvalid(
      () => validateCreateParams(withField("callback_url", "http://hooks.example.com/cb")),
      "callback_url",
    );
    expect(error.message).toMatch(/https/);
  });

  it("explains which kind of address was refused", () => {
    const error = expectInvalid(
      () => validateCreateParams(withField("callback_url", "https://192.168.1.1/cb")),
      "callback_url",
    );
    expect(error.message).toMatch(/private/);
  });

  it("accepts exactly 2048 characters and refuses 2049", () => {
    const prefix = "https://hooks.example.com/cb?p=";
    const at = (length: number) => prefix + "a".repeat(length - prefix.length);
    expect(at(2048)).toHaveLength(2048);
    expect(() => validateCreateParams(withField("callback_url", at(2048)))).not.toThrow();
    const error = expectInvalid(() => validateCreateParams(withField("callback_url", at(2049))), "callback_url");
    expect(error.message).toMatch(/2048/);
  });

  it.each([
    "https://hooks.example.com/videoretalk",
    "https://hooks.example.com:8443/cb?x=1",
    "https://8.8.8.8/cb",
    "https://1.1.1.1/cb",
    "https://172.15.255.255/cb",
    "https://172.32.0.1/cb",
    "https://100.63.255.255/cb",
    "https://100.128.0.1/cb",
    "https://11.0.0.1/cb",
    "https://169.253.0.1/cb",
    "https://192.169.0.1/cb",
    "https://[2001:4860:4860::8888]/cb",
    "https://[2606:4700:4700::1111]/cb",
    "https://localhost.example.com/cb",
    "https://mylocalhost/cb",
  ])("allows the public host in %s", (url) => {
    expect(() => validateCreateParams(withField("callback_url", url))).not.toThrow();
  });
});

describe("callback_url parsers could read differently (issue 8 item 1)", () => {
  const ambiguous: Array<[string, string]> = [
    ["a backslash before @ (allowlist bypass)", "https://hooks.example.com\\@evil.example/"],
    ["a backslash before @ (metadata address)", "https://example.com\\@169.254.169.254/latest/meta-data/"],
    ["a backslash in the path", "https://hooks.example.com\\cb"],
    ["user info", "https://user:pass@hooks.example.com/cb"],
    ["an empty user info", "https://@hooks.example.com/cb"],
    ["a user name only", "https://hooks.example.com@evil.example/cb"],
    ["a tab inside the host", "https://hooks.exa\tmple.com/cb"],
    ["a newline", "https://hooks.example.com/c\nb"],
    ["leading whitespace", " https://hooks.example.com/cb"],
    ["trailing whitespace", "https://hooks.example.com/cb "],
    ["a space in the path", "https://hooks.example.com/c b"],
    ["a NUL byte", "https://hooks.example.com/cb\u0000"],
    ["a C1 control", "https://hooks.example.com/cb\u0085"],
    ["a no-break space", "https://hooks.example.com/cb\u00a0"],
    ["a missing //", "https:hooks.example.com/cb"],
  ];

  it.each(ambiguous)("refuses %s", (_, url) => {
    expectInvalid(() => validateCreateParams(withField("callback_url", url)), "callback_url");
  });

  it.each(ambiguous)("refuses %s through lipSync.create with nothing sent", async (_, url) => {
    await expectCreateRefused(withField("callback_url", url), "callback_url");
  });

  it("sends the serialised URL it checked, not the raw text", async () => {
    const raw = "https://HOOKS.Example.COM:443/a/./b/../cb?x=1#frag";
    expect(validateCreateParams(withField("callback_url", raw)).callback_url).toBe(
      "https://hooks.example.com/a/cb?x=1#frag",
    );
    const { client, clock, script } = setup([jsonResponse(200, taskBody())]);
    await clock.runUntilSettled(client.lipSync.create(withField("callback_url", raw) as typeof PARAMS));
    expect(JSON.parse(script.calls[0]?.body ?? "").callback_url).toBe("https://hooks.example.com/a/cb?x=1#frag");
  });

  it("parseUnambiguousUrl is exported for the server package", () => {
    expect(parseUnambiguousUrl("baseUrl", "https://Example.com/x").href).toBe("https://example.com/x");
    expectInvalid(() => parseUnambiguousUrl("baseUrl", "https://a\\@b/"), "baseUrl");
  });
});

describe("refusedHostReason", () => {
  it("works on URL.hostname values", () => {
    expect(refusedHostReason(new URL("https://127.1/").hostname)).toMatch(/loopback/);
    expect(refusedHostReason(new URL("https://[::ffff:10.0.0.1]/").hostname)).toMatch(/private/);
    expect(refusedHostReason("example.com")).toBeUndefined();
  });

  it.each([
    ["[2002:7f00:1::]", /loopback.*6to4/],
    ["[2002:c0a8:101::1]", /private.*6to4/],
    ["[2002:a9fe:a9fe::]", /link-local.*6to4/],
    // Teredo: client 127.0.0.1 inverted is 80ff:fffe; 10.0.0.1 inverted is f5ff:fffe.
    ["[2001:0:4136:e378:8000:63bf:80ff:fffe]", /loopback.*Teredo/],
    ["[2001::f5ff:fffe]", /private.*Teredo/],
  ])("refuses %s, an IPv4 address in disguise", (host, reason) => {
    expect(refusedHostReason(new URL(`https://${host}/`).hostname)).toMatch(reason);
  });

  it.each(["[2002:0808:0808::1]", "[2001:0:4136:e378:8000:63bf:f7f7:f7f7]", "[2001:db9::1]"])(
    "allows %s, whose embedded address is public",
    (host) => {
      expect(refusedHostReason(new URL(`https://${host}/`).hostname)).toBeUndefined();
    },
  );
});

describe("the create body", () => {
  it("sends model videoretalk when the caller omits it", async () => {
    const { client, clock, script } = setup([jsonResponse(200, taskBody())]);
    await clock.runUntilSettled(client.lipSync.create({ ...PARAMS }));
    const call = script.calls[0];
    expect(call?.url).toBe("https://api.test.example/v1/videos/generations");
    expect(call?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(call?.body ?? "")).toEqual({ model: "videoretalk", ...PARAMS });
  });

  it("sends optional fields unchanged", async () => {
    const params = {
      ...PARAMS,
      ref_image_url: "https://cdn.example.com/face.jpg",
      video_extension: false,
      query_face_threshold: 120,
      callback_url: "https://hooks.example.com/cb",
    };
    const { client, clock, script } = setup([jsonResponse(200, taskBody())]);
    await clock.runUntilSettled(client.lipSync.create(params));
    expect(JSON.parse(script.calls[0]?.body ?? "")).toEqual({ model: "videoretalk", ...params });
  });

  it("a validation error on create still carries the idempotency key it would have used", async () => {
    const error = await expectCreateRefused(withField("query_face_threshold", 119), "query_face_threshold");
    expect(error.idempotencyKey).toMatch(/^vr_[0-9a-f]{32}$/);
  });

  it("a validation error on create carries the caller's own idempotency key", async () => {
    const { client, script } = setup([]);
    const error = await rejection(
      client.lipSync.create({ ...PARAMS, video_url: "ftp://x/v.mp4" }, { idempotencyKey: "dub-key-0123456789" }),
    );
    expect((error as ValidationError).field).toBe("video_url");
    expect((error as ValidationError).idempotencyKey).toBe("dub-key-0123456789");
    expect(script.calls).toHaveLength(0);
  });
});

describe("task ids", () => {
  it.each<[string, unknown]>([
    ["empty", ""],
    ["whitespace", "   "],
    ["a tab", "\t"],
    ["a number", 42],
    ["null", null],
    ["undefined", undefined],
    ["an object", { id: TASK_ID }],
    ['"."', "."],
    ['".."', ".."],
  ])("refuses %s", async (_, taskId) => {
    expectInvalid(() => validateTaskId(taskId), "task_id");
    const { client, script } = setup([jsonResponse(200, taskBody())]);
    const error = await rejection(client.tasks.get(taskId as string));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("task_id");
    expect(script.calls).toHaveLength(0);
  });

  it("accepts a normal id", () => {
    expect(validateTaskId(TASK_ID)).toBe(TASK_ID);
  });

  it.each<[string, string]>([
    ["a/b", "a%2Fb"],
    ["a?b=1", "a%3Fb%3D1"],
    ["a#b", "a%23b"],
    ["../../v1/videos/generations", "..%2F..%2Fv1%2Fvideos%2Fgenerations"],
    ["a b%", "a%20b%25"],
    ["..a", "..a"],
  ])("percent-encodes %j in the request URL", async (taskId, encoded) => {
    const { client, clock, script } = setup([jsonResponse(200, taskBody({ id: taskId }))]);
    await clock.runUntilSettled(client.tasks.get(taskId));
    expect(script.calls[0]?.url).toBe(`https://api.test.example/v1/tasks/${encoded}`);
    expect(script.calls[0]?.method).toBe("GET");
    expect(new URL(script.calls[0]?.url ?? "").pathname).toBe(`/v1/tasks/${encoded}`);
  });
});

describe("validateIdempotencyKey", () => {
  it("accepts the gateway's format and refuses anything else", () => {
    expect(validateIdempotencyKey("abcdefghij-_.0123")).toBe("abcdefghij-_.0123");
    expectInvalid(() => validateIdempotencyKey("a".repeat(15)), "idempotencyKey");
    expectInvalid(() => validateIdempotencyKey("ä".repeat(20)), "idempotencyKey");
  });
});
