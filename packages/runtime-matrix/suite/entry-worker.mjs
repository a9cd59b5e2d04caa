// Entry for Cloudflare workerd (through miniflare): POST the config as JSON, get the results.
import { runSuite } from "./run-suite.mjs";

export default {
  async fetch(request) {
    const config = await request.json();
    return Response.json(await runSuite(config));
  },
};
