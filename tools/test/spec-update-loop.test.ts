// Proves the spec-update loop on a throwaway copy of the repository's spec, tools and core
// sources (the real tree is never touched): `pnpm spec:update` regenerates the types, prints the
// contract diff and type-checks core; a field core uses disappearing fails with its use site.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";

const repo = fileURLToPath(new URL("../../", import.meta.url));
let copy: string;

/** Line (1-based) of the first line of `file` containing `needle`. */
function lineOf(file: string, needle: string): number {
  const index = readFileSync(join(copy, file), "utf8")
    .split("\n")
    .findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`${needle} not found in ${file}: update this test to a field core still uses`);
  return index + 1;
}

// biome-ignore lint/suspicious/noExplicitAny: the parsed spec is edited freely.
function specWith(edit: (spec: Record<string, any>) => void): string {
  const spec = parse(readFileSync(join(repo, "spec/videoretalk.openapi.yaml"), "utf8"));
  edit(spec);
  const file = join(copy, `edited-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, stringify(spec, { lineWidth: 0 }));
  return file;
}

/** Runs the real tools/spec-update.mjs (copied) in the copy; lint and Prism are out of scope. */
function specUpdate(file: string) {
  // Start from the repository's spec each time, so the cases do not depend on each other.
  cpSync(join(repo, "spec/videoretalk.openapi.yaml"), join(copy, "spec/videoretalk.openapi.yaml"));
  const result = spawnSync(process.execPath, ["tools/spec-update.mjs", file, "--skip=lint,contract"], {
    cwd: copy,
    encoding: "utf8",
    env: { ...process.env, INIT_CWD: copy, FORCE_COLOR: "0" },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), "vr-spec-loop-"));
  // The tool files only: not the tools package's own node_modules, tests or reports.
  cpSync(join(repo, "tools"), join(copy, "tools"), {
    recursive: true,
    filter: (source) => !/[\\/]tools[\\/](node_modules|test|\.reports|\.turbo)$/.test(source),
  });
  mkdirSync(join(copy, "spec"));
  cpSync(join(repo, "tsconfig.base.json"), join(copy, "tsconfig.base.json"));
  mkdirSync(join(copy, "packages/core"), { recursive: true });
  cpSync(join(repo, "packages/core/src"), join(copy, "packages/core/src"), { recursive: true });
  for (const file of ["package.json", "tsconfig.json"]) {
    cpSync(join(repo, "packages/core", file), join(copy, "packages/core", file));
  }
  // Dependencies are linked, not copied: openapi-typescript and tsc from the root, openapi-fetch
  // and @types/node from core.
  symlinkSync(join(repo, "node_modules"), join(copy, "node_modules"), "dir");
  symlinkSync(join(repo, "packages/core/node_modules"), join(copy, "packages/core/node_modules"), "dir");
  // The same script names as the repository's root package.json, over this one package.
  writeFileSync(
    join(copy, "package.json"),
    JSON.stringify({
      name: "spec-loop-copy",
      private: true,
      type: "module",
      scripts: {
        generate: "node tools/generate.mjs",
        typecheck: "tsc -p packages/core/tsconfig.json --pretty false",
      },
    }),
  );
});

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe("pnpm spec:update on a copy of the repository", () => {
  it("regenerates cleanly and compiles when the spec adds an optional field", () => {
    const file = specWith((spec) => {
      spec.components.schemas.VideoRetalkRequest.properties.lip_strength = {
        type: "number",
        minimum: 0,
        maximum: 1,
        description: "How strongly the lips follow the audio.",
      };
    });
    const { status, output } = specUpdate(file);
    expect(output).toContain(
      "POST /v1/videos/generations › request body (application/json) › lip_strength: optional request field added",
    );
    expect(output).toContain("0 breaking, 1 non-breaking change(s).");
    expect(output).toMatch(/ok\s+typecheck/);
    expect(status).toBe(0);
    const schema = readFileSync(join(copy, "packages/core/src/generated/schema.ts"), "utf8");
    expect(schema).toMatch(/lip_strength\?: number;/);
  });

  it("fails typecheck at the use site when a request field core uses is removed", () => {
    const useSite = "packages/core/src/models.ts";
    const line = lineOf(useSite, '["VideoRetalkRequest"]["model"]');
    const file = specWith((spec) => {
      const request = spec.components.schemas.VideoRetalkRequest;
      delete request.properties.model;
      request.required = request.required.filter((name: string) => name !== "model");
    });
    const { status, output } = specUpdate(file);
    expect(output).toContain(
      "✗ POST /v1/videos/generations › request body (application/json) › model: request field removed",
    );
    expect(output).toMatch(/FAILED\s+typecheck/);
    // tsc's own line and the summary's use-site list both point at the line that names the field.
    expect(output).toContain(`${useSite}(${line},`);
    expect(output).toMatch(new RegExp(`SDK code that no longer compiles[\\s\\S]*${useSite}:${line}:\\d+ {2}TS2339`));
    expect(status).toBe(1);
  });

  it("fails typecheck at the use site when a task status core classifies is removed", () => {
    const useSite = "packages/core/src/models.ts";
    const line = lineOf(useSite, 'cancelled: "terminal"');
    const file = specWith((spec) => {
      const status = spec.components.schemas.TaskStatus;
      status.enum = status.enum.filter((value: string) => value !== "cancelled");
    });
    const { status, output } = specUpdate(file);
    expect(output).toMatch(
      /✗ GET \/v1\/tasks\/\{task_id\} › 200 response \(application\/json\) › status: enum value "cancelled" removed/,
    );
    expect(output).toContain(`${useSite}(${line},`);
    expect(status).toBe(1);
  });
});

describe("compileErrorSites", () => {
  it("maps turbo-prefixed and plain tsc errors to repository paths", async () => {
    const { compileErrorSites } = await import("../spec-update.mjs");
    const output = [
      "@videoretalk/polling:typecheck: src/wait-for-task.ts(12,5): error TS2339: Property 'estimated_time' does not exist on type 'X'.",
      "packages/core/src/models.ts(11,41): error TS2339: Property 'model' does not exist on type 'Y'.",
      "@videoretalk/polling:typecheck:  ELIFECYCLE  Command failed with exit code 2.",
    ].join("\n");
    const dirs = new Map([["@videoretalk/polling", "packages/polling"]]);
    expect(compileErrorSites(output, dirs)).toEqual([
      "packages/polling/src/wait-for-task.ts:12:5  TS2339 Property 'estimated_time' does not exist on type 'X'.",
      "packages/core/src/models.ts:11:41  TS2339 Property 'model' does not exist on type 'Y'.",
    ]);
  });
});
