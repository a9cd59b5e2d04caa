import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "tsdown";
import { afterAll, describe, expect, it } from "vitest";
import { directiveProblems, type EmittedFile } from "../build/check-directives.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

describe('"use client" in the build output', () => {
  const outDir = mkdtempSync(join(tmpdir(), "videoretalk-react-build-"));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it("survives bundling at the top of the ESM and CJS main entries, and stays out of queries", async () => {
    await build({
      config: join(packageDir, "tsdown.config.ts"),
      cwd: packageDir,
      outDir,
      dts: false,
      logLevel: "silent",
    });
    const read = (name: string) => readFileSync(join(outDir, name), "utf8");
    expect(read("index.js").startsWith('"use client";')).toBe(true);
    expect(read("index.cjs").startsWith('"use client";')).toBe(true);
    expect(read("queries.js")).not.toMatch(/^\s*(["'])use client\1/m);
    expect(read("queries.cjs")).not.toMatch(/^\s*(["'])use client\1/m);
  }, 30_000);

  it("the build-time check reports a lost or misplaced directive", () => {
    const entry = (name: string, code: string, fileName = `${name}.js`): EmittedFile => ({
      type: "chunk",
      fileName,
      name,
      isEntry: true,
      code,
    });
    expect(directiveProblems([entry("index", '"use client";\nexport {}'), entry("queries", "export {}")])).toEqual([]);
    expect(directiveProblems([entry("index", "export {}"), entry("queries", "export {}")])).toEqual([
      'index.js does not start with "use client"',
    ]);
    expect(directiveProblems([entry("index", "'use client'\n"), entry("queries", '"use client";')])).toEqual([
      'queries.js must not contain "use client" (servers import it)',
    ]);
    expect(directiveProblems([entry("index", '"use client";')])).toEqual(['no "queries" entry was emitted']);
  });
});
