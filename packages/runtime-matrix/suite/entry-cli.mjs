// Entry for runtimes with a command line (Node, Bun, Deno): the runner passes the config as JSON
// in the first argument and reads the results from the line starting with RESULT_MARKER.
import { runSuite } from "./run-suite.mjs";

const RESULT_MARKER = "MATRIX_RESULTS ";
const args = globalThis.Deno ? globalThis.Deno.args : globalThis.process.argv.slice(2);
const results = await runSuite(JSON.parse(args[0]));
console.log(`${RESULT_MARKER}${JSON.stringify(results)}`);
// Exit now: under Deno, msw leaves a handle open that would keep the process alive until the
// runner's hang guard. The results are printed, so nothing is lost.
if (globalThis.Deno) globalThis.Deno.exit(0);
else globalThis.process.exit(0);
