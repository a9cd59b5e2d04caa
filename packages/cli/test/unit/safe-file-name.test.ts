import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FALLBACK_FILE_STEM, fileForId, isInside, safeFileStem } from "../../src/safe-file-name.js";

describe("safeFileStem", () => {
  it("keeps an ordinary task id as it is", () => {
    expect(safeFileStem("task-unified-1700000000-abcd1234")).toBe("task-unified-1700000000-abcd1234");
    expect(safeFileStem("a.b_c-D9")).toBe("a.b_c-D9");
  });

  it.each<[string, string]>([
    ["../../x", "_.._x"],
    ["/etc/passwd", "_etc_passwd"],
    ["C:\\Windows\\x", "C__Windows_x"],
    ["..\\..\\x", "_.._x"],
    [".hidden", "hidden"],
    ["a b\nc\x1b[2J", "a_b_c__2J"],
    ["tâche-é", "t_che-_"],
    ["CON", "_CON"],
    ["nul.txt", "_nul.txt"],
  ])("%j becomes %j: only [A-Za-z0-9._-], no separators, no leading dot", (id, stem) => {
    expect(safeFileStem(id)).toBe(stem);
    expect(safeFileStem(id)).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/);
  });

  it.each(["", ".", "..", "...", "/", "//", "\\", "\x00", "ééé", "._."])(
    "%j has nothing safe left: the fallback",
    (id) => {
      expect(safeFileStem(id)).toBe(FALLBACK_FILE_STEM);
      expect(safeFileStem(id, "fallback")).toBe("fallback");
    },
  );

  it("cuts very long ids so that <stem>.mp4 stays a valid file name", () => {
    expect(safeFileStem("a".repeat(5000))).toHaveLength(200);
  });
});

describe("fileForId", () => {
  const folder = "/work/out";

  it("puts <id>.mp4 in the folder", () => {
    expect(fileForId(folder, "task-unified-1700000000-abcd1234")).toBe(
      "/work/out/task-unified-1700000000-abcd1234.mp4",
    );
  });

  it.each(["../../x", "../x", "/etc/passwd", "/tmp/evil", "..", "a/../../b", "%2e%2e%2fx"])(
    "never leaves the folder for the id %j",
    (id) => {
      const path = fileForId(folder, id);
      expect(isInside(folder, path)).toBe(true);
      expect(path.startsWith(`${folder}/`)).toBe(true);
      expect(path.slice(folder.length + 1)).not.toContain("/");
    },
  );

  it("takes another extension", () => {
    expect(fileForId(folder, "id-1", ".json")).toBe(join(folder, "id-1.json"));
  });
});

describe("isInside", () => {
  it("tells paths below a folder from the folder itself and paths beside or above it", () => {
    expect(isInside("/a/b", "/a/b/c.mp4")).toBe(true);
    expect(isInside("/a/b", "/a/b")).toBe(false);
    expect(isInside("/a/b", "/a/bc.mp4")).toBe(false);
    expect(isInside("/a/b", "/a/c.mp4")).toBe(false);
    expect(isInside("/a/b", "/a/b/../c.mp4")).toBe(false);
  });
});
