import { describe, expect, it } from "vitest";
import {
  ChromiumNotFoundError,
  ensureChromium,
  findChromium,
  installCommand,
  playwrightCacheDir,
} from "../../../tools/find-chromium.mjs";

/** A machine described by the files it has; every side effect is recorded, none is real. */
function machine(
  options: {
    files?: string[];
    env?: Record<string, string>;
    onPath?: Record<string, string>;
    platform?: string;
    isRoot?: boolean;
    isDebian?: boolean;
    playwrightCli?: string;
    /** Files that appear once a command has run (command name → files). */
    installs?: Record<string, string[]>;
    failing?: string[];
  } = {},
) {
  const files = new Set(options.files ?? []);
  const commands: string[] = [];
  const logs: string[] = [];
  const deps = {
    env: options.env ?? {},
    platform: options.platform ?? "linux",
    home: "/home/dev",
    exists: (path: string) => files.has(path),
    readdir: (dir: string) => {
      const prefix = `${dir}/`;
      return [
        ...new Set(
          [...files].filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length).split("/")[0] ?? ""),
        ),
      ];
    },
    which: (command: string) => options.onPath?.[command],
    exec: (command: string, args: string[]) => {
      const line = [command, ...args].join(" ");
      commands.push(line);
      if (options.failing?.some((f) => line.includes(f))) return false;
      for (const [trigger, added] of Object.entries(options.installs ?? {})) {
        if (line.includes(trigger)) for (const file of added) files.add(file);
      }
      return true;
    },
    log: (line: string) => logs.push(line),
    isRoot: options.isRoot ?? false,
    isDebian: options.isDebian ?? false,
    playwrightCli: options.playwrightCli,
  };
  return { deps, commands, logs };
}

const CACHE = "/home/dev/.cache/ms-playwright";

describe("findChromium", () => {
  it("prefers CHROMIUM_PATH, then CHROME_PATH, over everything on the machine", () => {
    const { deps } = machine({
      files: ["/opt/my-chrome", "/opt/other-chrome", "/usr/bin/chromium"],
      env: { CHROMIUM_PATH: "/opt/my-chrome", CHROME_PATH: "/opt/other-chrome" },
      onPath: { chromium: "/usr/bin/chromium" },
    });
    expect(findChromium(deps)).toEqual({ path: "/opt/my-chrome", source: "$CHROMIUM_PATH" });
    deps.env = { CHROME_PATH: "/opt/other-chrome" };
    expect(findChromium(deps)).toEqual({ path: "/opt/other-chrome", source: "$CHROME_PATH" });
  });

  it("ignores an environment variable that points at a missing file", () => {
    const { deps } = machine({
      env: { CHROMIUM_PATH: "/nowhere/chrome" },
      onPath: { "google-chrome": "/usr/bin/google-chrome" },
    });
    expect(findChromium(deps)).toEqual({ path: "/usr/bin/google-chrome", source: "`google-chrome` on PATH" });
  });

  it("finds a system install that is not on PATH", () => {
    const { deps } = machine({ files: ["/snap/bin/chromium"] });
    expect(findChromium(deps)?.path).toBe("/snap/bin/chromium");
  });

  it("finds the newest Chromium in Playwright's cache, honouring PLAYWRIGHT_BROWSERS_PATH", () => {
    const { deps } = machine({
      files: [
        `${CACHE}/chromium-1100/chrome-linux/chrome`,
        `${CACHE}/chromium-1200/chrome-linux64/chrome`,
        `${CACHE}/ffmpeg-1010/ffmpeg`,
      ],
    });
    expect(findChromium(deps)).toEqual({
      path: `${CACHE}/chromium-1200/chrome-linux64/chrome`,
      source: "Playwright's browser cache",
    });
    deps.env = { PLAYWRIGHT_BROWSERS_PATH: "/srv/browsers" };
    expect(findChromium(deps)).toBeUndefined();
  });

  it("returns undefined on a machine without any browser", () => {
    expect(findChromium(machine().deps)).toBeUndefined();
  });
});

describe("playwrightCacheDir", () => {
  it("uses each platform's cache folder", () => {
    expect(playwrightCacheDir({ env: {}, platform: "linux", home: "/h" })).toBe("/h/.cache/ms-playwright");
    expect(playwrightCacheDir({ env: { XDG_CACHE_HOME: "/x" }, platform: "linux", home: "/h" })).toBe(
      "/x/ms-playwright",
    );
    expect(playwrightCacheDir({ env: {}, platform: "darwin", home: "/h" })).toBe("/h/Library/Caches/ms-playwright");
  });
});

describe("ensureChromium", () => {
  it("installs nothing when a browser is there", () => {
    const { deps, commands } = machine({
      onPath: { chromium: "/usr/bin/chromium" },
      isRoot: true,
      isDebian: true,
      playwrightCli: "/pw/cli.js",
    });
    expect(ensureChromium(deps).path).toBe("/usr/bin/chromium");
    expect(commands).toEqual([]);
  });

  it("uses Playwright's install first and says so", () => {
    const { deps, commands, logs } = machine({
      playwrightCli: "/pw/cli.js",
      installs: { "install chromium": [`${CACHE}/chromium-1300/chrome-linux64/chrome`] },
      isRoot: true,
      isDebian: true,
    });
    expect(ensureChromium(deps).path).toBe(`${CACHE}/chromium-1300/chrome-linux64/chrome`);
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatch(/\/pw\/cli\.js install chromium$/);
    expect(logs[0]).toMatch(/setting one up with Playwright's `install chromium`/);
  });

  it("falls back to apt-get on Debian as root when Playwright's download fails", () => {
    const { deps, commands, logs } = machine({
      playwrightCli: "/pw/cli.js",
      failing: ["install chromium"],
      installs: { "apt-get install": ["/usr/bin/chromium"] },
      isRoot: true,
      isDebian: true,
    });
    expect(ensureChromium(deps)).toEqual({ path: "/usr/bin/chromium", source: "a system install" });
    expect(commands.slice(1)).toEqual(["apt-get update -qq", "apt-get install -y -qq chromium"]);
    expect(logs.some((line) => line.includes("`apt-get install -y chromium`"))).toBe(true);
  });

  it("never runs apt-get without root, and fails with the one command to run", () => {
    const { deps, commands } = machine({ playwrightCli: "/pw/cli.js", failing: ["install chromium"], isDebian: true });
    const error = (() => {
      try {
        ensureChromium(deps);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ChromiumNotFoundError);
    expect((error as ChromiumNotFoundError).command).toBe("sudo apt-get install -y chromium");
    expect((error as Error).message).toContain("sudo apt-get install -y chromium");
    expect(commands.some((line) => line.startsWith("apt-get"))).toBe(false);
  });

  it("fails when an install step succeeds but still leaves no browser", () => {
    const { deps } = machine({ playwrightCli: "/pw/cli.js", isRoot: true, isDebian: true });
    expect(() => ensureChromium(deps)).toThrow(/apt-get install -y chromium/);
  });
});

describe("installCommand", () => {
  it("names apt on Debian and Playwright elsewhere", () => {
    expect(installCommand({ platform: "linux", isRoot: true, isDebian: true })).toBe("apt-get install -y chromium");
    expect(installCommand({ platform: "darwin", isRoot: false, isDebian: false })).toMatch(
      /playwright-core install chromium$/,
    );
  });
});
