import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkOutputPath, outputPath } from "../../src/output.js";
import { UsageError } from "../../src/report-error.js";

describe("outputPath", () => {
  const id = "task-unified-1700000000-abcd1234";

  it("defaults to ./<task id>.mp4 in the working directory", () => {
    expect(outputPath(undefined, id, "/work/here")).toBe(`/work/here/${id}.mp4`);
  });

  it("resolves a relative --out against the working directory", () => {
    expect(outputPath("out/result.mp4", id, "/work/here")).toBe("/work/here/out/result.mp4");
    expect(outputPath("../result.mp4", id, "/work/here")).toBe("/work/result.mp4");
  });

  it("keeps an absolute --out", () => {
    expect(outputPath("/tmp/x.mp4", id, "/work/here")).toBe("/tmp/x.mp4");
  });

  it("names the default file after a sanitised id that cannot leave the working directory", () => {
    expect(outputPath(undefined, "../../x", "/work/here")).toBe("/work/here/_.._x.mp4");
    expect(outputPath(undefined, "/etc/cron.d/x", "/work/here")).toBe("/work/here/_etc_cron.d_x.mp4");
    expect(outputPath(undefined, "..", "/work/here")).toBe("/work/here/videoretalk-result.mp4");
  });
});

describe("checkOutputPath", () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "videoretalk-cli-out-"));
    await writeFile(join(folder, "existing.mp4"), "old");
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it("accepts no --out, a new file or an existing file (which is replaced when the download completes)", async () => {
    await expect(checkOutputPath(undefined, folder)).resolves.toBeUndefined();
    await expect(checkOutputPath("new.mp4", folder)).resolves.toBeUndefined();
    await expect(checkOutputPath("existing.mp4", folder)).resolves.toBeUndefined();
  });

  it("refuses a folder, naming --out", async () => {
    await expect(checkOutputPath(folder, "/")).rejects.toThrow(UsageError);
    await expect(checkOutputPath(folder, "/")).rejects.toThrow(/^--out must be a file path, but .* is a folder/);
    await expect(checkOutputPath("not-yet/", folder)).rejects.toThrow(/^--out must be a file path/);
  });

  it("refuses a file in a folder that does not exist, naming --out", async () => {
    await expect(checkOutputPath("missing/result.mp4", folder)).rejects.toThrow(
      /^--out: the folder .*missing does not exist/,
    );
    await expect(checkOutputPath("existing.mp4/result.mp4", folder)).rejects.toThrow(/^--out: the folder/);
  });

  it("refuses an empty --out", async () => {
    await expect(checkOutputPath("", folder)).rejects.toThrow(/^--out must be a file path/);
  });
});
