import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { placeholderUrl, resolveMediaInput } from "../../src/inputs.js";
import { UsageError } from "../../src/report-error.js";

describe("resolveMediaInput", () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "videoretalk-cli-inputs-"));
    await writeFile(join(folder, "clip.mp4"), "0123456789");
    await writeFile(join(folder, "huge.mp4"), "");
    // Sparse: 100 MB + 1 byte without writing them.
    await truncate(join(folder, "huge.mp4"), 100 * 1024 * 1024 + 1);
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it("passes http(s) URLs through untouched", async () => {
    await expect(resolveMediaInput("--video", "https://example.com/a.mp4?x=1", folder)).resolves.toEqual({
      kind: "url",
      url: "https://example.com/a.mp4?x=1",
    });
    await expect(resolveMediaInput("--audio", "HTTP://127.0.0.1:9/a.wav", folder)).resolves.toEqual({
      kind: "url",
      url: "HTTP://127.0.0.1:9/a.wav",
    });
  });

  it("reads a local file relative to the working directory, with its size", async () => {
    await expect(resolveMediaInput("--video", "clip.mp4", folder)).resolves.toEqual({
      kind: "file",
      path: join(folder, "clip.mp4"),
      size: 10,
    });
  });

  it("names the flag for a missing file", async () => {
    await expect(resolveMediaInput("--video", "nope.mp4", folder)).rejects.toThrow(UsageError);
    await expect(resolveMediaInput("--video", "nope.mp4", folder)).rejects.toThrow(/^--video: no such file: nope\.mp4/);
    await expect(resolveMediaInput("--ref-image", "face.png", folder)).rejects.toThrow(/^--ref-image: no such file/);
  });

  it("names the flag for a folder", async () => {
    await expect(resolveMediaInput("--audio", folder, "/")).rejects.toThrow(/^--audio: .* is not a file/);
  });

  it("refuses files over the Files API's 100 MB before uploading", async () => {
    await expect(resolveMediaInput("--video", "huge.mp4", folder)).rejects.toThrow(
      /^--video: huge\.mp4 is 104\.9 MB; uploads are limited to 100 MB/,
    );
  });

  it("stands in a valid https URL for files not uploaded yet", () => {
    expect(placeholderUrl({ kind: "url", url: "https://a.example/v.mp4" })).toBe("https://a.example/v.mp4");
    expect(new URL(placeholderUrl({ kind: "file", path: "/x", size: 1 })).protocol).toBe("https:");
  });
});
