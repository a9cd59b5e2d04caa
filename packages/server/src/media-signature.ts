/**
 * Checks a file's first bytes against the format its declared MIME type names, so a renamed
 * text file or executable is refused before a byte of it reaches the Files API.
 */

/** How many leading bytes {@link matchesSignature} needs to decide. */
export const SIGNATURE_BYTES = 16;

const ascii = (bytes: Uint8Array, at: number, text: string): boolean => {
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
};

// ISO base media (MP4, MOV, M4A): a box header whose type is one a file may start with.
const ISO_FIRST_BOXES = ["ftyp", "moov", "mdat", "free", "skip", "wide", "pnot"];
const isoMedia = (b: Uint8Array) => ISO_FIRST_BOXES.some((box) => ascii(b, 4, box));
const riff = (form: string) => (b: Uint8Array) => ascii(b, 0, "RIFF") && ascii(b, 8, form);
const mpegAudio = (b: Uint8Array) =>
  ascii(b, 0, "ID3") || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0 && ((b[1] ?? 0) & 0x06) !== 0);
// ADTS frames (sync word 0xFFF, layer 0), ADIF, or ADTS behind an ID3 tag.
const aacAudio = (b: Uint8Array) =>
  ascii(b, 0, "ADIF") || ascii(b, 0, "ID3") || (b[0] === 0xff && ((b[1] ?? 0) & 0xf6) === 0xf0);

const SIGNATURES: Record<string, (bytes: Uint8Array) => boolean> = {
  "video/mp4": isoMedia,
  "video/quicktime": isoMedia,
  "audio/mp4": isoMedia,
  "video/x-msvideo": riff("AVI "),
  "audio/wav": riff("WAVE"),
  "audio/x-wav": riff("WAVE"),
  "audio/mpeg": mpegAudio,
  "audio/aac": aacAudio,
  "image/jpeg": (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  "image/png": (b) => b[0] === 0x89 && ascii(b, 1, "PNG\r\n\x1a\n"),
  "image/bmp": (b) => ascii(b, 0, "BM"),
  "image/webp": riff("WEBP"),
};

/**
 * True when `head` (the file's first {@link SIGNATURE_BYTES} bytes, or all of a shorter file)
 * looks like `type`. Types without a known signature (added by the app) pass on the declared
 * type alone.
 */
export function matchesSignature(type: string, head: Uint8Array): boolean {
  const check = SIGNATURES[type];
  return check === undefined ? true : check(head);
}
