/**
 * The Node.js entry of `@videoretalk/polling`, picked by the `node` export condition: everything
 * from the neutral entry, with a `downloadResult` that also accepts a file path.
 */

// A local export shadows the same name from `export *` (ECMAScript GetExportedNames), so Node callers
// get the file-path-aware version.
export { downloadResult } from "./download/download-result.node.js";
export * from "./index.js";
