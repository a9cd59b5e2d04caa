import { Command, CommanderError, Option } from "commander";
import packageJson from "../package.json" with { type: "json" };
import { runBatchCommand } from "./commands/batch.js";
import { runBatchRedisCommand } from "./commands/batch-redis.js";
import { runCheck } from "./commands/check.js";
import { runLipSync } from "./commands/lipsync.js";
import { runTaskGet, runTaskWait } from "./commands/task.js";
import { runWorkerCommand } from "./commands/worker.js";
import { ExitCode, type ExitCodeValue } from "./exit-codes.js";
import type { CliIO } from "./io.js";

// Inlined by the bundler, so `--version` always matches the published package.
const VERSION = packageJson.version;

function connectionOptions(command: Command): Command {
  return command
    .addOption(new Option("--base-url <url>", "API origin (env EVOLINK_BASE_URL, default https://api.evolink.ai)"))
    .addOption(
      new Option(
        "--files-base-url <url>",
        "Files API origin (env EVOLINK_FILES_BASE_URL, default https://files-api.evolink.ai)",
      ),
    )
    .option("--json", "print one JSON document on stdout and nothing else");
}

/**
 * Runs the CLI with `argv` (without the node and script entries) and resolves to the exit code.
 * Never calls `process.exit`, so tests can run it in-process.
 */
export async function runCli(argv: string[], io: CliIO): Promise<ExitCodeValue> {
  let code: ExitCodeValue = ExitCode.Done;
  // `--json` promises one JSON document on stdout, even when the flags themselves are wrong, so
  // commander's own error text is held back and reported as JSON instead.
  const json = argv.includes("--json");
  const program = new Command("videoretalk")
    .description("Lip-sync a talking-head video to a new audio track with the Evolink VideoRetalk API.")
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError("(run videoretalk --help for usage)")
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => {
        if (!json) io.stderr.write(text);
      },
    });

  connectionOptions(
    program
      .command("lipsync")
      .description("upload local media, create a lip-sync task, wait for it and download the result")
      .requiredOption("--video <url|path>", "video with a clearly visible face (URL or local file)")
      .requiredOption("--audio <url|path>", "target speech audio (URL or local file)")
      .option("--ref-image <url|path>", "frontal face of the target person, when the video shows several faces")
      .option("--extend", "extend the video to the audio's length (video_extension)")
      .option("--threshold <n>", "face-matching threshold, 120–200 (default 170)")
      .option("--callback-url <url>", "HTTPS URL that receives the finished task")
      .option("--out <file>", "where to save the result (default ./<task id>.mp4)")
      .option("--no-wait", "create the task, print its id and exit")
      .option("--timeout <seconds>", "give up waiting after this many seconds (default 1800)")
      .option("--idempotency-key <key>", "reuse the key of an interrupted run so no second task is created")
      .option("--no-check", "skip the media pre-check (see videoretalk check)")
      .option("--force", "upload and create even when the pre-check refuses the inputs"),
  ).action(async (flags) => {
    code = await runLipSync(flags, io);
  });

  program
    .command("check")
    .description("inspect media against VideoRetalk's limits and tell the billable seconds; uploads nothing")
    .requiredOption("--video <url|path>", "video (URL or local file)")
    .requiredOption("--audio <url|path>", "audio (URL or local file)")
    .option("--ref-image <url|path>", "reference face image (URL or local file)")
    .option("--extend", "bill as with video_extension (the audio's whole length)")
    .option("--json", "print one JSON document on stdout and nothing else")
    .action(async (flags) => {
      code = await runCheck(flags, io);
    });

  connectionOptions(
    program
      .command("batch")
      .argument(
        "<manifest>",
        "CSV (header row) or JSONL: id, video, audio, ref_image, video_extension, query_face_threshold, out",
      )
      .description("run (or resume) a catalogue of lip-sync jobs: crash-safe, with a journal in the out-dir")
      .requiredOption("--out-dir <dir>", "where results go (default <id>.mp4 each); holds the journal")
      .option("--journal <file>", "journal file (default <out-dir>/.videoretalk-batch.jsonl)")
      .option("--concurrency <n>", "most jobs in flight at once (default 16; shrinks on 429)")
      .option("--max-credits <n>", "never start a create that could take the batch's reserved credits over n")
      .option("--dry-run", "validate, check local files, print what would be done; send nothing")
      .option("--retry-failed", "create a new task (new key) for jobs whose task failed")
      .option("--no-check", "skip the media pre-check of the rows to create (see videoretalk check)")
      .option("--force", "start even when GET /v1/credits is clearly below the estimate or the pre-check refuses rows")
      .option(
        "--redis <url>",
        "enqueue on a BullMQ queue in this Redis instead; workers run the jobs (redis:// or rediss://)",
      )
      .option("--queue <name>", "queue name with --redis (default videoretalk)"),
  ).action(async (manifest: string, flags) => {
    code = flags.redis ? await runBatchRedisCommand(manifest, flags, io) : await runBatchCommand(manifest, flags, io);
  });

  connectionOptions(
    program
      .command("worker")
      .description("process lip-sync jobs from a BullMQ queue until SIGTERM or Ctrl-C (see batch --redis)")
      .requiredOption("--redis <url>", "Redis URL: redis://host:6379, rediss:// for TLS (Redis ≥ 6.2)")
      .option("--queue <name>", "queue name (default videoretalk)")
      .option("--concurrency <n>", "jobs this worker holds at once, most of them waiting (default 500)")
      .option(
        "--creates-per-second <n>",
        "your account's create rate, shared by every worker of the queue (default: learnt from 429s)",
      )
      .option(
        "--callback-base-url <url>",
        "public https URL for task callbacks (signed with VR_WEBHOOK_SECRET); polling stays the fallback",
      )
      .option("--webhook-port <n>", "also run the callback receiver on this port (0: any free port)")
      .option("--webhook-host <host>", "address the receiver listens on (default 127.0.0.1)"),
  ).action(async (flags) => {
    code = await runWorkerCommand(flags, io);
  });

  const task = program.command("task").description("inspect or wait for an existing task");
  connectionOptions(task.command("get").argument("<id>", "task id").description("print a task's status")).action(
    async (id: string, flags) => {
      code = await runTaskGet(id, flags, io);
    },
  );
  connectionOptions(
    task
      .command("wait")
      .argument("<id>", "task id")
      .description("wait for a task to finish and download its result")
      .option("--out <file>", "where to save the result (default ./<task id>.mp4)")
      .option("--no-download", "only wait; print the result URL")
      .option("--timeout <seconds>", "give up waiting after this many seconds (default 1800)"),
  ).action(async (id: string, flags) => {
    code = await runTaskWait(id, flags, io);
  });

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end the parse with exit code 0; everything else is a usage error.
      if (error.exitCode === 0) return ExitCode.Done;
      if (json) {
        const message = error.message.replace(/^error: /, "");
        io.stdout.write(
          `${JSON.stringify({ error: { name: "UsageError", code: error.code, message }, exitCode: ExitCode.Usage })}\n`,
        );
      }
      return ExitCode.Usage;
    }
    throw error;
  }
  return code;
}
