/**
 * Build-time check that `"use client"` survived bundling: it must open the main entry (ESM and
 * CJS), or React Server Components would treat the hooks as server code, and it must not reach
 * `queries`, which servers import to prefetch.
 */

/** One emitted file, as tsdown's `build:done` hook reports it. */
export interface EmittedFile {
  type: "chunk" | "asset";
  fileName: string;
  name?: string;
  isEntry?: boolean;
  code?: string;
}

const DIRECTIVE = /^(['"])use client\1;?/;

/** Problems found in the emitted entry files; empty when all is well. */
export function directiveProblems(files: readonly EmittedFile[]): string[] {
  const problems: string[] = [];
  const entries = files.filter((file) => file.type === "chunk" && file.isEntry && /\.c?js$/.test(file.fileName));
  for (const name of ["index", "queries"]) {
    if (!entries.some((file) => file.name === name)) problems.push(`no "${name}" entry was emitted`);
  }
  for (const file of entries) {
    const starts = DIRECTIVE.test(file.code ?? "");
    if (file.name === "index" && !starts) problems.push(`${file.fileName} does not start with "use client"`);
    if (file.name !== "index" && /^\s*(['"])use client\1/m.test(file.code ?? "")) {
      problems.push(`${file.fileName} must not contain "use client" (servers import it)`);
    }
  }
  return problems;
}

/** Throws with every problem, to fail the build. */
export function assertDirectives(files: readonly EmittedFile[]): void {
  const problems = directiveProblems(files);
  if (problems.length > 0) throw new Error(`"use client" check failed:\n- ${problems.join("\n- ")}`);
}
