/**
 * Setup of the `react18` vitest project. pnpm links React 19 as the `react` peer of the aliased
 * react-dom@18 (`react-dom-18`), so Node's CommonJS resolution inside react-dom, and inside any
 * other CommonJS module loaded natively, is pointed at `react-18` / `react-dom-18` here. Vite
 * resolves the rest through the aliases in vitest.config.ts.
 */
import Module from "node:module";
import { dirname } from "node:path";

const require = Module.createRequire(import.meta.url);
const roots: Record<string, string> = {
  react: dirname(require.resolve("react-18/package.json")),
  "react-dom": dirname(require.resolve("react-dom-18/package.json")),
};

type ResolveFilename = (request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: ResolveFilename & { react18?: true } };

if (!loader._resolveFilename.react18) {
  const original = loader._resolveFilename;
  const patched: ResolveFilename & { react18?: true } = function (this: unknown, request, ...rest) {
    const match = /^(react|react-dom)(\/.*)?$/.exec(request);
    const root = match?.[1] ? roots[match[1]] : undefined;
    return original.call(this, root ? `${root}${match?.[2] ?? ""}` : request, ...rest);
  };
  patched.react18 = true;
  loader._resolveFilename = patched;
}
