import { describe, expect, it } from "vitest";
// The neutral build: what browsers, Deno, Bun and edge runtimes get.
import { downloadResult } from "../../src/download/download-result.js";
import { DownloadTargetRefusedError } from "../../src/errors.js";

const BODY = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);

function video(): Response {
  return new Response(BODY, { status: 200, headers: { "Content-Length": String(BODY.length) } });
}

/** A response as browsers give it for `redirect: "manual"`: the target is hidden. */
function opaqueRedirect(): Response {
  return {
    type: "opaqueredirect",
    status: 0,
    statusText: "",
    headers: new Headers(),
    body: null,
    url: "",
  } as unknown as Response;
}

/** A followed response that landed on `url` (as `Response.url` reports it after redirects). */
function landedOn(url: string): Response {
  const response = video();
  Object.defineProperty(response, "url", { value: url });
  return response;
}

function collect() {
  const chunks: Uint8Array[] = [];
  return { stream: new WritableStream<Uint8Array>({ write: (c) => void chunks.push(c) }), chunks };
}

describe("downloadResult target rules (neutral build)", () => {
  it("refuses a loopback http URL by default without calling fetch", async () => {
    const calls: string[] = [];
    const error = await downloadResult("http://127.0.0.1:8080/r.mp4?token=abc", collect().stream, {
      fetch: async (input) => {
        calls.push(String(input));
        return video();
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadTargetRefusedError);
    expect((error as DownloadTargetRefusedError).host).toBe("127.0.0.1:8080");
    expect((error as Error).message).not.toContain("token");
    expect(calls).toEqual([]);
  });

  it("follows redirects by hand and refuses one to a private address", async () => {
    const calls: string[] = [];
    const error = await downloadResult("https://cdn.example.com/r.mp4", collect().stream, {
      fetch: async (input, init) => {
        calls.push(`${String(input)} ${init?.redirect}`);
        return new Response(null, { status: 302, headers: { Location: "https://192.168.0.1/admin" } });
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadTargetRefusedError);
    expect((error as DownloadTargetRefusedError).redirects).toBe(1);
    expect(calls).toEqual(["https://cdn.example.com/r.mp4 manual"]);
  });

  it("cannot resolve names here: a public-looking name is fetched (only the Node build checks DNS)", async () => {
    const sink = collect();
    const result = await downloadResult("https://cdn.example.com/r.mp4", sink.stream, { fetch: async () => video() });
    expect(result.bytes).toBe(BODY.length);
  });

  it("where redirects are opaque (browsers), checks where the followed request landed", async () => {
    const modes: Array<RequestRedirect | undefined> = [];
    const land = (url: string) => async (_input: RequestInfo | URL, init?: RequestInit) => {
      modes.push(init?.redirect);
      return init?.redirect === "manual" ? opaqueRedirect() : landedOn(url);
    };
    const refused = await downloadResult("https://cdn.example.com/r.mp4", collect().stream, {
      fetch: land("https://169.254.169.254/latest/meta-data/"),
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DownloadTargetRefusedError);
    expect((refused as DownloadTargetRefusedError).host).toBe("169.254.169.254");
    expect(modes).toEqual(["manual", "follow"]);

    const sink = collect();
    const ok = await downloadResult("https://cdn.example.com/r.mp4", sink.stream, {
      fetch: land("https://media.example.net/r.mp4"),
    });
    expect(ok.bytes).toBe(BODY.length);
  });

  it("allowPrivateNetwork allows http and private hosts", async () => {
    const sink = collect();
    const result = await downloadResult("http://10.0.0.8/r.mp4", sink.stream, {
      allowPrivateNetwork: true,
      fetch: async () => video(),
    });
    expect(result.bytes).toBe(BODY.length);
  });
});
