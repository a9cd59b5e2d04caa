// Entry for Chromium: the runner loads this bundle in a page and calls `__runMatrix(config)`.
import { runSuite } from "./run-suite.mjs";

globalThis.__runMatrix = runSuite;
