import { runCli } from "./program.js";

// Ctrl-C aborts the request or wait in flight; the command then prints how to resume and exits
// 130. A second Ctrl-C exits at once.
const controller = new AbortController();
process.once("SIGINT", () => {
  controller.abort();
  process.once("SIGINT", () => process.exit(130));
});

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
process.exitCode = code;
