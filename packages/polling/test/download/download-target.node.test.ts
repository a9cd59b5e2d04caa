import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ValidationError } from "@videoretalk/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { downloadResult } from "../../src/download/download-result.node.js";
import type { HostLookup } from "../../src/download/options.js";
import { DownloadError, DownloadTargetRefusedError } from "../../src/errors.js";
import { makePayload, type ResultServer, serveBytes, startResultServer } from "./result-server.js";

const PAYLOAD = makePayload(256 * 1024 + 5);
// A signed result URL's query: it must never show up in an error.
const SIGNED = "?X-Amz-Signature=s3cr3t-token";

let dir: string;
let server: ResultServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vr-download-target-"));
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** A lookup that answers `addresses` for every name, recording what it was asked. */
function fixedLookup(...addresses: string[]): HostLookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup = async (hostname: string) => {
    asked.push(hostname);
    return addresses.map((address) => ({ address, family: address.includes(":") ? (6 as const) : (4 as const) }));
  };
  return Object.assign(lookup, { asked });
}

/** A fetch that answers from `answer(url)` and records every URL it was asked for. */
function recordingFetch(answer: (url: string) => Response) {
  const urls: string[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = String(input);
    urls.push(url);
    expect(init?.redirect).toBe("manual");
    return answer(url);
  };
  return { fetch: fetchImpl, urls };
}

function redirectTo(location: string, status = 302): Response {
  return new Response(null, { status, headers: { Location: location } });
}

function video(): Response {
  return new Response(new Uint8Array(PAYLOAD), {
    status: 200,
    headers: { "Content-Type": "video/mp4", "Content-Length": String(PAYLOAD.length) },
  });
}

async function refusal(promise: Promise<unknown>): Promise<DownloadTargetRefusedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DownloadTargetRefusedError);
  const refused = error as DownloadTargetRefusedError;
  expect(refused.message).not.toContain("s3cr3t");
  expect(refused.message).not.toContain("X-Amz");
  return refused;
}

describe("downloadResult target rules (node build)", () => {
  it("refuses a loopback http result URL by default: nothing is sent, no file is made", async () => {
    server = await startResultServer(serveBytes(PAYLOAD));
    const host = new URL(server.url).host;
    const error = await refusal(downloadResult(`${server.url}${SIGNED}`, join(dir, "out.mp4")));
    expect(error.host).toBe(host);
    expect(error.redirects).toBe(0);
    expect(error.message).toContain(`Refused to download from ${host}`);
    expect(error.message).toContain("allowPrivateNetwork: true");
    expect(server.requests).toHaveLength(0);
    expect(await readdir(dir)).toEqual([]);
  });

  it.each([
    ["https://127.0.0.1/r.mp4", "loopback"],
    ["https://127.1/r.mp4", "loopback"],
    ["https://0x7f.0.0.1/r.mp4", "loopback"],
    ["https://[::1]/r.mp4", "loopback"],
    ["https://localhost/r.mp4", "localhost"],
    ["https://videos.localhost/r.mp4", "localhost"],
    ["https://169.254.169.254/latest/meta-data/", "link-local"],
    ["https://10.1.2.3/r.mp4", "private"],
    ["https://172.16.0.9/r.mp4", "private"],
    ["https://192.168.1.20/r.mp4", "private"],
    ["https://[fc00::1]/r.mp4", "unique-local"],
    ["https://[fd12:3456::1]/r.mp4", "unique-local"],
    ["https://[fe80::1]/r.mp4", "link-local"],
    ["https://[::ffff:127.0.0.1]/r.mp4", "loopback"],
    ["https://[::ffff:169.254.169.254]/r.mp4", "link-local"],
    ["https://0.0.0.0/r.mp4", "this network"],
    ["http://results.example.com/r.mp4", "plain-http"],
  ])("refuses %s (%s) before sending anything", async (url, why) => {
    const spy = recordingFetch(video);
    const error = await refusal(downloadResult(`${url}${SIGNED}`, join(dir, "out.mp4"), { fetch: spy.fetch }));
    expect(error.reason).toContain(why);
    expect(spy.urls).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it("refuses a redirect to the metadata address, naming the hop; the target is never requested", async () => {
    const spy = recordingFetch((url) =>
      url.startsWith("https://cdn.example.com/") ? redirectTo("http://169.254.169.254/latest/meta-data/") : video(),
    );
    const error = await refusal(
      downloadResult(`https://cdn.example.com/r.mp4${SIGNED}`, join(dir, "out.mp4"), {
        fetch: spy.fetch,
        lookup: fixedLookup("93.184.215.14"),
      }),
    );
    expect(error.host).toBe("169.254.169.254");
    expect(error.redirects).toBe(1);
    expect(error.message).toContain("redirect 1");
    expect(spy.urls).toEqual([`https://cdn.example.com/r.mp4${SIGNED}`]);
    expect(await readdir(dir)).toEqual([]);
  });

  it.each([
    "https://10.0.0.5/r.mp4",
    "https://[::1]:8443/r.mp4",
    "http://cdn2.example.com/r.mp4",
    "https://[fe80::1]/r.mp4",
  ])("checks every hop: a second redirect to %s is refused", async (last) => {
    const spy = recordingFetch((url) => {
      if (url.startsWith("https://a.example.com/")) return redirectTo("https://b.example.com/next", 301);
      if (url.startsWith("https://b.example.com/")) return redirectTo(last, 307);
      return video();
    });
    const lookup = fixedLookup("93.184.215.14");
    const error = await refusal(
      downloadResult("https://a.example.com/r.mp4", join(dir, "x.mp4"), { fetch: spy.fetch, lookup }),
    );
    expect(error.redirects).toBe(2);
    expect(spy.urls).toEqual(["https://a.example.com/r.mp4", "https://b.example.com/next"]);
  });

  it("follows allowed redirects to the result and downloads it", async () => {
    const spy = recordingFetch((url) => {
      if (url === "https://api-results.example.com/r.mp4") return redirectTo("https://cdn.example.com/signed/r.mp4");
      if (url === "https://cdn.example.com/signed/r.mp4") return redirectTo("/final/r.mp4", 308);
      return video();
    });
    const lookup = fixedLookup("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c");
    const target = join(dir, "ok.mp4");
    const result = await downloadResult("https://api-results.example.com/r.mp4", target, { fetch: spy.fetch, lookup });
    expect(result.bytes).toBe(PAYLOAD.length);
    expect(result.url).toBe("https://api-results.example.com/r.mp4");
    expect(spy.urls).toEqual([
      "https://api-results.example.com/r.mp4",
      "https://cdn.example.com/signed/r.mp4",
      "https://cdn.example.com/final/r.mp4",
    ]);
    expect(lookup.asked).toEqual(["api-results.example.com", "cdn.example.com", "cdn.example.com"]);
    expect((await readFile(target)).equals(PAYLOAD)).toBe(true);
  });

  it("gives up after maxRedirects redirects with a DownloadError", async () => {
    server = await startResultServer((req, res) => {
      res.writeHead(302, { Location: `/again${req.url ?? ""}` });
      res.end();
    });
    const error = await downloadResult(server.url, join(dir, "loop.mp4"), {
      allowPrivateNetwork: true,
      maxRedirects: 3,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).message).toMatch(/more than 3 times/);
    expect(server.requests).toHaveLength(4);
    expect(await readdir(dir)).toEqual([]);
  });

  describe("resolved addresses", () => {
    it("refuses a public name that resolves to loopback; the connection is never made", async () => {
      server = await startResultServer(serveBytes(PAYLOAD));
      const port = new URL(server.url).port;
      const lookup = fixedLookup("127.0.0.1");
      const error = await refusal(
        downloadResult(`https://public.example:${port}/r.mp4${SIGNED}`, join(dir, "out.mp4"), { lookup }),
      );
      expect(error.host).toBe(`public.example:${port}`);
      expect(error.reason).toMatch(/resolves to a loopback address/);
      expect(lookup.asked).toEqual(["public.example"]);
      expect(server.requests).toHaveLength(0);
      expect(await readdir(dir)).toEqual([]);
    });

    it.each([
      [["169.254.169.254"], "link-local"],
      [["10.0.0.7"], "private"],
      [["::1"], "loopback"],
      [["fd00::1"], "unique-local"],
      [["::ffff:10.0.0.1"], "private"],
      [["93.184.215.14", "192.168.0.10"], "private"],
    ])("refuses a name resolving to %j (%s), even next to a public address", async (addresses, why) => {
      const lookup = fixedLookup(...addresses);
      const error = await refusal(downloadResult("https://cdn.example.com/r.mp4", join(dir, "out.mp4"), { lookup }));
      expect(error.reason).toContain(why);
    });

    it("with a custom fetch, checks the name before each request and sends nothing on a refusal", async () => {
      const spy = recordingFetch(video);
      const lookup = fixedLookup("10.20.30.40");
      const error = await refusal(
        downloadResult("https://cdn.example.com/r.mp4", join(dir, "out.mp4"), { fetch: spy.fetch, lookup }),
      );
      expect(error.reason).toContain("private");
      expect(spy.urls).toEqual([]);
    });

    it("allowPrivateNetwork lets the local server through, and connects to the address the lookup gave", async () => {
      server = await startResultServer(serveBytes(PAYLOAD));
      const port = new URL(server.url).port;
      const lookup = fixedLookup("127.0.0.1");
      const target = join(dir, "local.mp4");
      const result = await downloadResult(`http://results.internal.test:${port}/r.mp4`, target, {
        allowPrivateNetwork: true,
        lookup,
      });
      expect(result.bytes).toBe(PAYLOAD.length);
      expect((await readFile(target)).equals(PAYLOAD)).toBe(true);
      expect(lookup.asked).toEqual(["results.internal.test"]);
      expect(server.requests[0]?.host).toBe(`results.internal.test:${port}`);
    });

    it("allowPrivateNetwork allows a loopback address literal over http", async () => {
      server = await startResultServer(serveBytes(PAYLOAD));
      const result = await downloadResult(server.url, join(dir, "literal.mp4"), { allowPrivateNetwork: true });
      expect(result.bytes).toBe(PAYLOAD.length);
    });
  });

  it("refuses bad target options before sending anything", async () => {
    const spy = recordingFetch(video);
    for (const [options, field] of [
      [{ maxRedirects: -1 }, "maxRedirects"],
      [{ maxRedirects: 1.5 }, "maxRedirects"],
      [{ allowPrivateNetwork: "yes" }, "allowPrivateNetwork"],
      [{ lookup: "8.8.8.8" }, "lookup"],
    ] as const) {
      const error = await downloadResult("https://cdn.example.com/r.mp4", join(dir, "x.mp4"), {
        fetch: spy.fetch,
        ...(options as object),
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
    }
    expect(spy.urls).toEqual([]);
  });
});
