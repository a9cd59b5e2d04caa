import {
  AuthenticationError,
  createVideoRetalk,
  InsufficientCreditsError,
  ValidationError,
  VideoRetalkError,
} from "@videoretalk/core";
import { equal, ok, rejects } from "./assert.mjs";
import { createSampleTask, emulatorClient, recordingFetch, sampleAudio, sampleVideo } from "./fixtures.mjs";

/** `@videoretalk/core` against the emulator: create, get, typed errors, retries, validation. */
export const coreTests = [
  {
    name: "core: lipSync.create returns the new task and tasks.get reads it back",
    async run(config) {
      const client = emulatorClient(config);
      const created = await createSampleTask(client, config);
      ok(/^task-unified-/.test(created.id), `task id ${created.id} has the API's shape`);
      const read = await client.tasks.get(created.id);
      equal(read.id, created.id, "id read back");
      ok(["pending", "processing", "completed"].includes(read.status), `status ${read.status} is a live status`);
    },
  },
  {
    name: "core: a 402 is an InsufficientCreditsError with status and request id, never the key",
    async run(config) {
      const client = emulatorClient(config, { headers: { "X-Emulator-Scenario": "status:402" } });
      const error = await rejects(createSampleTask(client, config), InsufficientCreditsError, "create");
      equal(error.status, 402, "status");
      ok(typeof error.requestId === "string" && error.requestId.length > 0, "the error carries the request id");
      ok(!`${error.message} ${JSON.stringify(error)}`.includes(config.apiKey), "the key stays out of the error");
    },
  },
  {
    name: "core: a wrong key is an AuthenticationError",
    async run(config) {
      const client = emulatorClient(config, { apiKey: "sk-wrong-key-for-the-matrix" });
      const error = await rejects(client.tasks.get("task-unified-1-abcdefgh"), AuthenticationError, "get");
      equal(error.status, 401, "status");
    },
  },
  {
    name: "core: a 503 on create is retried once with the same Idempotency-Key",
    async run(config) {
      const recorder = recordingFetch();
      const client = emulatorClient(config, {
        fetch: recorder.fetch,
        headers: { "X-Emulator-Scenario": "status:503*1" },
      });
      const created = await createSampleTask(client, config);
      ok(/^task-unified-/.test(created.id), "the retried create succeeds");
      equal(recorder.calls.length, 2, "requests sent");
      const keys = recorder.calls.map((call) => call.headers.get("idempotency-key"));
      ok(keys[0] && keys[0] === keys[1], `both attempts carry one key (${keys.join(", ")})`);
    },
  },
  {
    name: "core: bad input is a ValidationError naming the field, and nothing is sent",
    async run(config) {
      const recorder = recordingFetch();
      const client = emulatorClient(config, { fetch: recorder.fetch });
      const params = { video_url: sampleVideo(config), audio_url: sampleAudio(config), query_face_threshold: 999 };
      const error = await rejects(client.lipSync.create(params), ValidationError, "create");
      equal(error.field, "query_face_threshold", "field");
      ok(error instanceof VideoRetalkError, "a ValidationError is a VideoRetalkError");
      equal(recorder.calls.length, 0, "requests sent");
    },
  },
  {
    name: "core: createVideoRetalk without a key fails on the first request, not at construction",
    async run(config) {
      const client = createVideoRetalk({ apiKey: null, baseUrl: config.emulatorUrl, dangerouslyAllowBrowser: true });
      await rejects(client.tasks.get("task-unified-1-abcdefgh"), VideoRetalkError, "get without a key");
    },
  },
];
