/**
 * Loads the failure code (retries, error descriptions) that the neutral build imports on a
 * call's first failure, before any test runs. Tests drive a fake clock that advances only
 * while a timer is pending; a first failure that is still loading its chunk has none, which is
 * the situation the README warns fake-clock users about. failure-path.test.ts covers the
 * loading itself, with injected loaders.
 */
await import("../../src/failure-path.js");

export {};
