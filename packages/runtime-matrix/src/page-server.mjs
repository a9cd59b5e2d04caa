// Serves the Chromium bundle on 127.0.0.1, so the page has an http origin the emulator can be told
// about (it answers cross-origin requests only from origins in its `corsOrigins`).
import { createServer } from "node:http";

/** Starts the page server; `serve(bundle)` sets the script the page loads. */
export async function startPageServer() {
  let bundle = "";
  const server = createServer((req, res) => {
    if (req.url === "/suite.js") {
      res.writeHead(200, { "content-type": "text/javascript" }).end(bundle);
    } else {
      res
        .writeHead(200, { "content-type": "text/html" })
        .end('<!doctype html><script type="module" src="/suite.js"></script>');
    }
  });
  await new Promise((ready) => server.listen(0, "127.0.0.1", ready));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    serve(script) {
      bundle = script;
      return `${origin}/`;
    },
    close: () => new Promise((done) => server.close(done)),
  };
}
