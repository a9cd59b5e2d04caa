import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ValidationError } from "@videoretalk/core";
import { describe, expect, it } from "vitest";
import * as neutral from "../../src/index.js";
import * as node from "../../src/index.node.js";
import { makePayload, serveBytes, startResultServer } from "./result-server.js";

describe("entry points", () => {
  it("the node entry's downloadResult shadows the neutral one and accepts a path", async () => {
    expect(node.downloadResult).not.toBe(neutral.downloadResult);
    const payload = makePayload(64 * 1024);
    const server = await startResultServer(serveBytes(payload));
    const dir = await mkdtemp(join(tmpdir(), "vr-entry-"));
    try {
      const target = join(dir, "out.mp4");
      await node.downloadResult(server.url, target, { allowPrivateNetwork: true });
      expect((await readFile(target)).equals(payload)).toBe(true);
      await expect(neutral.downloadResult(server.url, target, { allowPrivateNetwork: true })).rejects.toBeInstanceOf(
        ValidationError,
      );
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("both entries export the download errors", () => {
    expect(node.DownloadError).toBe(neutral.DownloadError);
    expect(node.ResultExpiredError).toBe(neutral.ResultExpiredError);
  });
});
