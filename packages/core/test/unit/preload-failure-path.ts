/**
 * Loads the failure code (retry loop, error descriptions) that the neutral build imports on a
 * call's first failure, before any test runs, the way the README tells fake-clock users to: the
 * suites drive a fake clock that advances only through pending timers, and a first failure still
 * loading its chunk has none. failure-path.test.ts covers the loading itself, with injected
 * loaders.
 */
import { loadFailureCode } from "../../src/index.js";

await loadFailureCode();
