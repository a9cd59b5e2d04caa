import { downloadResult, ResultExpiredError, TaskFailedError, waitForTask } from "@videoretalk/polling";
import { equal, ok, rejects } from "./assert.mjs";
import { createSampleTask, emulatorClient, memorySink } from "./fixtures.mjs";

// The emulator runs fast (see run-matrix.mjs), so a task ends within a few hundred milliseconds.
const WAIT = { minIntervalMs: 50, maxIntervalMs: 200, timeoutMs: 30_000 };
// The emulator serves results from plain http on 127.0.0.1, which downloads refuse by default.
const LOCAL = { allowPrivateNetwork: true };

/** Completes one task and returns it with its client. */
async function completedTask(config, scenario) {
  const client = emulatorClient(config);
  const created = await createSampleTask(client, config, scenario);
  return { client, task: await waitForTask(client, created.id, WAIT) };
}

/** Reads the first bytes of an MP4: its `ftyp` box name. */
const ftyp = (bytes) => String.fromCharCode(...bytes.subarray(4, 8));

/** `@videoretalk/polling` against the emulator: waiting and downloading. */
export const pollingTests = [
  {
    name: "polling: waitForTask follows a task to completed, reporting progress",
    async run(config) {
      const client = emulatorClient(config);
      const created = await createSampleTask(client, config);
      const seen = [];
      const done = await waitForTask(client, created.id, { ...WAIT, onProgress: (task) => seen.push(task.status) });
      equal(done.status, "completed", "status");
      ok(typeof done.results?.[0] === "string", "a completed task has a result URL");
      ok(seen.length > 0, "onProgress was called");
    },
  },
  {
    name: "polling: waitForTask throws TaskFailedError for a failed task",
    async run(config) {
      const client = emulatorClient(config);
      const created = await createSampleTask(client, config, "fail:service_error");
      const error = await rejects(waitForTask(client, created.id, WAIT), TaskFailedError, "wait");
      ok(String(error.message).length > 0, "the failure has a message");
    },
  },
  {
    name: "polling: downloadResult streams the result into a WritableStream",
    async run(config) {
      const { task } = await completedTask(config);
      const sink = memorySink();
      const result = await downloadResult(task, sink.stream, LOCAL);
      const bytes = sink.bytes();
      ok(bytes.length > 1000, `downloaded ${bytes.length} bytes`);
      equal(result.bytes, bytes.length, "reported byte count");
      equal(ftyp(bytes), "ftyp", "the result is an MP4");
    },
  },
  {
    name: "polling: an expired result link is a ResultExpiredError",
    async run(config) {
      const { task } = await completedTask(config, "result-status:410");
      await rejects(downloadResult(task, memorySink().stream, LOCAL), ResultExpiredError, "download");
    },
  },
];

/** Runtimes with a file system (Node, Bun, Deno) also download to a path. */
export const fileSystemTests = [
  {
    name: "polling: downloadResult writes the result to a file path",
    async run(config) {
      const { readFile } = await import("node:fs/promises");
      const { task } = await completedTask(config);
      const path = `${config.tempDir}/${config.runtime}-result.mp4`;
      const result = await downloadResult(task, path, LOCAL);
      const bytes = new Uint8Array(await readFile(path));
      equal(bytes.length, result.bytes, "file size");
      equal(ftyp(bytes), "ftyp", "the file is an MP4");
    },
  },
];
