import { open } from "node:fs/promises";
import type { ByteReader } from "./byte-reader.js";
import { MediaReadError } from "./errors.js";

/** A reader over a local file (Node build only): positioned reads, never the whole file. */
export async function pathReader(path: string): Promise<ByteReader> {
  let handle: Awaited<ReturnType<typeof open>>;
  let size: number;
  try {
    handle = await open(path, "r");
    const stats = await handle.stat();
    if (!stats.isFile()) {
      await handle.close();
      throw new MediaReadError(`${path} is not a regular file.`);
    }
    size = stats.size;
  } catch (error) {
    if (error instanceof MediaReadError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new MediaReadError(
      code === "ENOENT" ? `${path} does not exist.` : `${path} cannot be read (${code ?? String(error)}).`,
      undefined,
      {
        cause: error,
      },
    );
  }
  return {
    size,
    async read(offset, length) {
      const buffer = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      return buffer.subarray(0, bytesRead);
    },
    close: () => handle.close(),
  };
}
