// The Node build: everything from the neutral entry, with a createVideoRetalk whose
// files.upload() accepts file paths. An explicit export takes precedence over `export *`.

export { createVideoRetalk } from "./client.node.js";
export * from "./index.js";
