/**
 * The control characters in `text` (C0 except the line feed the CLI itself writes, DEL, C1),
 * found by code point so the check does not share a regular expression with the code it tests.
 */
export function controlCharacters(text: string): string[] {
  return [...text].filter((char) => {
    const code = char.codePointAt(0) ?? 0;
    return (code < 0x20 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f);
  });
}
