// Run by connection-reuse.node.test.ts in its own Node process (bundled first): downloads one
// URL to one file, prints `{"bytes":…}`, and then must exit on its own. A pooled connection that
// kept the event loop alive would keep this process running instead.
import { downloadResult } from "../../src/download/download-result.node.js";

const [url, destination] = process.argv.slice(2);
if (url === undefined || destination === undefined) {
  process.stderr.write("usage: download-once <url> <file>\n");
  process.exit(2);
}
const result = await downloadResult(url, destination, { allowPrivateNetwork: true });
process.stdout.write(`${JSON.stringify({ bytes: result.bytes })}\n`);
