// Bundles the browser build (dist/index.js) the way an app's bundler would, with code splitting,
// into `outDir`: the app's share (what every user pays) and the lazily loaded parser chunk come
// out as separate files, and mediainfo.js's WASM is copied beside them. Used by the Chromium test
// and by `pnpm bench` for the size figures.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** @param {string} outDir @returns {Promise<{ entryBytes: number, entryGzip: number, lazyBytes: number, lazyGzip: number, wasmBytes: number, wasmGzip: number }>} */
export async function bundleForBrowser(outDir) {
  const dist = join(packageDir, "dist", "index.js");
  if (!existsSync(dist))
    throw new Error("dist/index.js is missing: run `pnpm --filter @videoretalk/preflight build` first.");
  const entry = join(outDir, "entry.js");
  writeFileSync(entry, `export { inspectMedia, checkLipSyncInputs } from ${JSON.stringify(dist)};\n`);
  const result = await build({
    entryPoints: { preflight: entry },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    minify: true,
    outdir: outDir,
    metafile: true,
    logLevel: "error",
    // Resolve mediainfo.js from this package even though the entry file sits in a temp folder.
    nodePaths: [join(packageDir, "node_modules")],
  });
  const wasm = createRequire(join(packageDir, "package.json")).resolve("mediainfo.js/MediaInfoModule.wasm");
  copyFileSync(wasm, join(outDir, "MediaInfoModule.wasm"));
  const sizes = { entryBytes: 0, entryGzip: 0, lazyBytes: 0, lazyGzip: 0 };
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (!file.endsWith(".js")) continue;
    const bytes = readFileSync(file);
    // esbuild also lists dynamically imported modules as entry points: only ours is the app's share.
    const key = output.entryPoint?.endsWith("entry.js") ? "entry" : "lazy";
    sizes[`${key}Bytes`] += bytes.length;
    sizes[`${key}Gzip`] += gzipSync(bytes, { level: 9 }).length;
  }
  const wasmBytes = readFileSync(wasm);
  return { ...sizes, wasmBytes: wasmBytes.length, wasmGzip: gzipSync(wasmBytes, { level: 9 }).length };
}
