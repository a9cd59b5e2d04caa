import { coreTests } from "./core.tests.mjs";
import { mswTests } from "./msw.tests.mjs";
import { fileSystemTests, pollingTests } from "./polling.tests.mjs";
import { proxyTests, webhookTests } from "./server.tests.mjs";

/**
 * Runs every test of the matrix suite in order and returns one result per test. `config` comes
 * from the runner (see fixtures.mjs): file-path tests run only when it names a `tempDir`, and the
 * proxy (a server-side handler that holds the key) is not run in the browser, nor MSW (a test
 * tool for browsers and Node) in workerd.
 */
export async function runSuite(config) {
  const tests = [
    ...coreTests,
    ...pollingTests,
    ...(config.browser ? webhookTests : [...proxyTests, ...webhookTests]),
    ...(config.worker ? [] : mswTests),
    ...(config.tempDir ? fileSystemTests : []),
  ];
  const results = [];
  for (const test of tests) {
    try {
      await test.run(config);
      results.push({ name: test.name, status: "passed" });
    } catch (error) {
      results.push({ name: test.name, status: "failed", message: String(error?.stack ?? error) });
    }
  }
  return results;
}
