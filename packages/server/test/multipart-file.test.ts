import { describe, expect, it } from "vitest";
import { MultipartError, multipartBoundary, openMultipartFile } from "../src/multipart-file.js";

const BOUNDARY = "----formboundaryAbC123";
const encoder = new TextEncoder();

function body(file: Uint8Array, { extraPart = false, closing = true } = {}): Uint8Array {
  const head = encoder.encode(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a \\"b\\".mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
  );
  const extra = extraPart
    ? encoder.encode(`\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="x"\r\n\r\ny`)
    : new Uint8Array(0);
  const tail = encoder.encode(closing ? `\r\n--${BOUNDARY}--\r\n` : "");
  const out = new Uint8Array(head.length + file.length + extra.length + tail.length);
  out.set(head);
  out.set(file, head.length);
  out.set(extra, head.length + file.length);
  out.set(tail, head.length + file.length + extra.length);
  return out;
}

/** The bytes as a stream of `size`-byte chunks. */
function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

async function readAll(stream: ReadableStream<Uint8Array>) {
  const file = await openMultipartFile(stream, BOUNDARY);
  const parts: number[] = [];
  for (;;) {
    const chunk = await file.next();
    if (chunk === undefined) break;
    parts.push(...chunk);
  }
  return { file, bytes: Uint8Array.from(parts) };
}

// File content with near-misses of the closing delimiter (a sender never puts the whole
// boundary in the content; that is what makes it a boundary).
const tricky = encoder.encode(
  `start\r\n--${BOUNDARY.slice(0, -1)}X middle \r\n- \r\n--${BOUNDARY.slice(0, 5)}\r\n\r\n end\r`,
);

describe("openMultipartFile", () => {
  for (const size of [1, 3, 7, 64, 100_000]) {
    it(`returns exactly the file's bytes when the body arrives in ${size}-byte chunks`, async () => {
      const { file, bytes } = await readAll(chunked(body(tricky), size));
      expect(file.field).toBe("file");
      expect(file.fileName).toBe('a "b".mp4');
      expect(file.contentType).toBe("video/mp4");
      expect(new TextDecoder().decode(bytes)).toBe(new TextDecoder().decode(tricky));
    });
  }

  it("refuses a second part after the file", async () => {
    await expect(readAll(chunked(body(tricky, { extraPart: true }), 5))).rejects.toMatchObject({
      reason: "malformed",
    });
  });

  it("refuses a body that ends without the closing boundary", async () => {
    await expect(readAll(chunked(body(tricky, { closing: false }), 5))).rejects.toBeInstanceOf(MultipartError);
  });

  it("refuses a part without a filename", async () => {
    const noName = encoder.encode(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc\r\n--${BOUNDARY}--\r\n`,
    );
    await expect(openMultipartFile(chunked(noName, 4), BOUNDARY)).rejects.toMatchObject({ reason: "malformed" });
  });

  it("reads the boundary from the content type, quoted or not, and only for multipart/form-data", () => {
    expect(multipartBoundary(`multipart/form-data; boundary=${BOUNDARY}`)).toBe(BOUNDARY);
    expect(multipartBoundary('Multipart/Form-Data; charset=utf-8; boundary="a b c"')).toBe("a b c");
    expect(multipartBoundary("multipart/mixed; boundary=x")).toBeUndefined();
    expect(multipartBoundary("multipart/form-data")).toBeUndefined();
    expect(multipartBoundary(null)).toBeUndefined();
  });
});
