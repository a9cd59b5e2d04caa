/**
 * Text from the API (error messages, task fields) can carry terminal control sequences: an ESC
 * sequence that clears the screen, retitles the window, writes a fake hyperlink, or moves the
 * cursor to hide a line. The CLI prints API text only through {@link terminalSafe}.
 */

// ESC-introduced sequences: CSI (ESC [ … final byte), OSC/DCS/SOS/PM/APC strings (up to BEL or
// ST), then any other two-byte escape (ESC + one char). The C1 forms (0x9b CSI, 0x9d OSC, …) too.
const ESCAPE_SEQUENCES = new RegExp(
  [
    "\\x1b\\[[0-?]*[ -/]*[@-~]?",
    "\\x9b[0-?]*[ -/]*[@-~]?",
    "(?:\\x1b[\\]PX^_]|[\\x90\\x98\\x9d\\x9e\\x9f])[\\s\\S]*?(?:\\x07|\\x1b\\\\|\\x9c|$)",
    "\\x1b[\\s\\S]?",
  ].join("|"),
  "g",
);
// C0 controls, DEL, C1 controls, and the Unicode bidi overrides that reorder what is shown.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHARACTERS = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with every terminal control removed: ESC/CSI/OSC sequences are dropped whole, line
 * breaks and tabs become a space (so API text cannot start a line that looks like the CLI's own),
 * and other control characters are dropped. Safe to print; JSON output does not need it.
 *
 * @example
 * terminalSafe("bad\x1b]8;;https://evil\x07link\x1b]8;;\x07\x1b[2J"); // "badlink"
 * terminalSafe("line one\nresume with: rm -rf ~"); // "line one resume with: rm -rf ~"
 */
export function terminalSafe(text: unknown): string {
  return String(text)
    .replace(ESCAPE_SEQUENCES, "")
    .replace(/[\t\n\r\v\f]/g, " ")
    .replace(CONTROL_CHARACTERS, "");
}
