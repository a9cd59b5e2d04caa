// Bundles the suite for the runtimes that cannot resolve node_modules themselves: Chromium
// (browser export conditions) and workerd (worker conditions), each into one ES module.
import { build } from "esbuild";

/**
 * Only the file-system tests import `node:` modules, lazily, and they never run on these targets:
 * each `node:` import becomes a module that throws if it is ever loaded.
 */
const noNodeModules = {
  name: "no-node-modules",
  setup(bundle) {
    bundle.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: "no-node" }));
    bundle.onLoad({ filter: /.*/, namespace: "no-node" }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not available on this runtime`)});`,
    }));
  },
};

/** @param {"browser" | "worker"} target */
export async function bundleSuite(entry, target) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "esm",
    platform: target === "browser" ? "browser" : "neutral",
    conditions: target === "browser" ? ["browser"] : ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    target: "es2022",
    plugins: [noNodeModules],
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}
