import { fileURLToPath } from "node:url";
import { defineConfig } from "tsdown";

const mainEntry = fileURLToPath(new URL("./src/index.ts", import.meta.url));

interface ModuleGraph {
  getModuleInfo(id: string): { importedIds: readonly string[] } | null;
}

// Every module the main entry reaches through static imports goes into one chunk. Left to the
// default, modules are grouped by which entries (the lazy ones included) use them, so the first
// load of a browser app was six files of a few hundred bytes each: each file is compressed on its
// own, and that cost 1.1 kB min+gzip more than the same code in one file. Modules the main entry
// reaches only through `import()` (uploads, the failure descriptions, the callback rules) keep
// their own chunks, so they stay out of the first load.
let mainEntryClosure: Set<string> | undefined;
function staticallyReachedFromMainEntry(id: string, graph: ModuleGraph): boolean {
  if (!mainEntryClosure) {
    const seen = new Set<string>();
    const pending = [mainEntry];
    while (pending.length > 0) {
      const next = pending.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      pending.push(...(graph.getModuleInfo(next)?.importedIds ?? []));
    }
    mainEntryClosure = seen;
  }
  return mainEntryClosure.has(id);
}

const entries = ["src/index.ts", "src/index.node.ts", "src/validation.ts", "src/http-errors.ts", "src/retry.ts"];
const entryNames = new Set(entries.map((entry) => entry.replace(/^src\/(.*)\.ts$/, "$1")));

type ChunkFileNames = string | ((chunk: { name: string }) => string);

/**
 * JavaScript chunks are named without a content hash: a published package is versioned as a
 * whole, and every app bundle repeats the names of core's lazy chunks in its first load, where
 * hashes do not compress. Type chunks, and any chunk named like an entry, keep tsdown's hashed
 * name: without it, rolldown resolves the clash by renaming the entry (index.d.ts → index2.d.ts).
 */
function withoutHashForCode(hashed: ChunkFileNames): ChunkFileNames {
  return (chunk) => {
    const name = typeof hashed === "function" ? hashed(chunk) : hashed;
    return chunk.name.endsWith(".d") || entryNames.has(chunk.name) ? name : name.replace("-[hash]", "");
  };
}

export default defineConfig({
  // index.node.ts adds file-path uploads; browser bundles pick index.ts, which has no node: imports.
  entry: entries,
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  platform: "neutral",
  outputOptions: (options) => ({
    ...options,
    chunkFileNames: withoutHashForCode(options.chunkFileNames as ChunkFileNames),
    codeSplitting: {
      groups: [{ name: (id, graph) => (staticallyReachedFromMainEntry(id, graph) ? "client" : null) }],
    },
  }),
});
