#!/usr/bin/env node
// Generates packages/core/src/generated/schema.ts from spec/videoretalk.openapi.yaml.
// `--check` regenerates in memory and exits 1 when the committed file differs (drift check).
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const specPath = resolve(root, "spec/videoretalk.openapi.yaml");
const outPath = resolve(root, "packages/core/src/generated/schema.ts");

const banner = `/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: spec/videoretalk.openapi.yaml (openapi-typescript, defaultNonNullable: false).
 * Change the spec and run \`pnpm generate\`; CI fails when this file is stale.
 */

`;

export async function renderSchema() {
  const ast = await openapiTS(pathToFileURL(specPath), {
    defaultNonNullable: false,
    alphabetize: false,
  });
  return banner + astToString(ast);
}

async function main() {
  const check = process.argv.includes("--check");
  const next = await renderSchema();
  const current = await readFile(outPath, "utf8").catch(() => "");
  const rel = relative(root, outPath);
  if (check) {
    if (current !== next) {
      console.error(`${rel} is stale: run \`pnpm generate\` and commit the result.`);
      process.exit(1);
    }
    console.log(`${rel} is up to date with the spec.`);
    return;
  }
  await mkdir(dirname(outPath), { recursive: true });
  if (current !== next) await writeFile(outPath, next);
  console.log(`${current === next ? "unchanged" : "wrote"} ${rel}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await main();
}
