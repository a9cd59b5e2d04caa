import { describe, expect, it } from "vitest";
import { ensureSystemTools, missingTools } from "../../../tools/ensure-system-tools.mjs";

const TOOLS = { "redis-server": "redis-server", ffprobe: "ffmpeg" };

/** A machine whose PATH holds `present`; apt adds the programs of the packages it installs. */
function machine(present: string[], options: { isRoot?: boolean; isDebian?: boolean; aptWorks?: boolean } = {}) {
  const onPath = new Set(present);
  const commands: string[] = [];
  const logs: string[] = [];
  return {
    commands,
    logs,
    deps: {
      tools: TOOLS,
      which: (program: string) => onPath.has(program),
      exec: (command: string, args: string[]) => {
        commands.push([command, ...args].join(" "));
        if (options.aptWorks === false) return false;
        if (args[0] === "install") {
          for (const [program, pkg] of Object.entries(TOOLS)) if (args.includes(pkg)) onPath.add(program);
        }
        return true;
      },
      log: (line: string) => logs.push(line),
      isRoot: options.isRoot ?? true,
      isDebian: options.isDebian ?? true,
    },
  };
}

describe("ensureSystemTools (pnpm test:all's set-up of redis-server and ffprobe)", () => {
  it("does nothing when every program is on PATH", () => {
    const m = machine(["redis-server", "ffprobe"]);
    expect(ensureSystemTools(m.deps)).toEqual({ missing: [], command: undefined });
    expect(m.commands).toEqual([]);
  });

  it("installs only the missing packages with apt as root on Debian, and says so", () => {
    const m = machine(["redis-server"]);
    expect(ensureSystemTools(m.deps)).toEqual({ missing: [], command: undefined });
    expect(m.commands).toEqual(["apt-get update -qq", "apt-get install -y -qq ffmpeg"]);
    expect(m.logs.join("\n")).toContain("apt-get install -y ffmpeg");
  });

  it("without root it installs nothing and names the one command to run", () => {
    const m = machine([], { isRoot: false });
    expect(ensureSystemTools(m.deps)).toEqual({
      missing: ["redis-server", "ffprobe"],
      command: "sudo apt-get install -y redis-server ffmpeg",
    });
    expect(m.commands).toEqual([]);
  });

  it("when apt fails, reports what is still missing", () => {
    const m = machine(["ffprobe"], { aptWorks: false });
    expect(ensureSystemTools(m.deps)).toEqual({
      missing: ["redis-server"],
      command: "apt-get install -y redis-server",
    });
  });

  it("missingTools lists programs not on PATH", () => {
    expect(missingTools(TOOLS, (p: string) => p === "ffprobe")).toEqual(["redis-server"]);
  });
});
