import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkLipSyncInputs, inspectMedia, MediaReadError } from "../src/index.node.js";
import { fixture } from "./support.js";

/**
 * moov-at-end.mp4 with an 8 MiB `free` box inserted between `mdat` and `moov`: the chunk offsets
 * stay valid (they point into `mdat`, which does not move) and the metadata sits at the tail of a
 * file big enough that reading it whole would show.
 */
function paddedMoovAtEnd(): Buffer {
  const bytes = readFileSync(fixture("moov-at-end.mp4"));
  let offset = 0;
  while (offset < bytes.length && bytes.toString("latin1", offset + 4, offset + 8) !== "moov") {
    offset += bytes.readUInt32BE(offset);
  }
  const padding = Buffer.alloc(8 * 1024 * 1024);
  padding.writeUInt32BE(padding.length, 0);
  padding.write("free", 4, "latin1");
  return Buffer.concat([bytes.subarray(0, offset), padding, bytes.subarray(offset)]);
}

interface RangeServer {
  url: string;
  served: () => number;
  close: () => Promise<void>;
}

/** Serves `files` on 127.0.0.1 with single byte ranges (or ignoring them), counting body bytes. */
async function rangeServer(files: Record<string, Buffer>, honourRange = true): Promise<RangeServer> {
  let served = 0;
  const server: Server = createServer((req, res) => {
    const body = files[req.url ?? ""];
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    const match = req.headers.range?.match(/^bytes=(\d+)-(\d+)$/);
    if (!honourRange || !match) {
      res.writeHead(200, { "Content-Length": body.length });
      res.on("close", () => undefined);
      res.end(body);
      served += body.length;
      return;
    }
    const start = Number(match[1]);
    const end = Math.min(Number(match[2]), body.length - 1);
    const part = body.subarray(start, end + 1);
    served += part.length;
    res.writeHead(206, { "Content-Range": `bytes ${start}-${end}/${body.length}`, "Content-Length": part.length });
    res.end(part);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served: () => served,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("inspectMedia on http(s) URLs", () => {
  const padded = paddedMoovAtEnd();
  let server: RangeServer;
  beforeAll(async () => {
    server = await rangeServer({
      "/moov-at-end.mp4": padded,
      "/speech.wav": readFileSync(fixture("speech.wav")),
    });
  });
  afterAll(() => server.close());

  it("reads the header and the tail of an MP4 whose moov is at the end, never the whole file", async () => {
    const before = server.served();
    const facts = await inspectMedia(`${server.url}/moov-at-end.mp4`);
    const read = server.served() - before;
    expect(facts).toMatchObject({
      kind: "video",
      container: "mp4",
      width: 640,
      height: 640,
      fps: 25,
      sizeBytes: padded.length,
    });
    expect(facts.durationS).toBeCloseTo(3, 2);
    expect(read).toBeLessThan(padded.length / 8);
  });

  it("turns a 404 into an unreadable refusal in checkLipSyncInputs", async () => {
    const check = await checkLipSyncInputs({ video: `${server.url}/missing.mp4`, audio: `${server.url}/speech.wav` });
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual([
      expect.objectContaining({ input: "video", code: "unreadable", severity: "refuse" }),
    ]);
    expect(check.problems[0]?.message).toMatch(/HTTP 404/);
  });

  it("refuses a server that ignores Range instead of downloading the file", async () => {
    const plain = await rangeServer({ "/big.mp4": padded }, false);
    try {
      const error = await inspectMedia(`${plain.url}/big.mp4`).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MediaReadError);
      expect((error as Error).message).toMatch(/ignores Range requests/);
    } finally {
      await plain.close();
    }
  });
});
