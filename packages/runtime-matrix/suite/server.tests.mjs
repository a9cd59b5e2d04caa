import { createVideoRetalk, NotFoundError, PermissionDeniedError } from "@videoretalk/core";
import { callbackUrl, createProxyHandler, createWebhookHandler } from "@videoretalk/server";
import { equal, ok, rejects } from "./assert.mjs";
import { createSampleTask, recordingFetch } from "./fixtures.mjs";

const APP = "https://app.example";
const SECRET = "matrix-webhook-secret-0123456789";

/** The proxy mounted at `/api/vr`, forwarding to the emulator with the server's key. */
function proxy(config, authorize = () => true) {
  const upstream = recordingFetch();
  const handler = createProxyHandler({
    basePath: "/api/vr",
    authorize,
    apiKey: config.apiKey,
    baseUrl: config.emulatorUrl,
    fetch: upstream.fetch,
  });
  return { handler, upstream };
}

/** A browser-style client (no key) whose requests go straight into `handler`. */
function browserClient(handler) {
  return createVideoRetalk({
    apiKey: null,
    baseUrl: `${APP}/api/vr`,
    dangerouslyAllowBrowser: true,
    maxRetries: 0,
    headers: { Authorization: "Bearer caller-credential-that-must-not-travel" },
    fetch: (input, init) => handler(new Request(input, init)),
  });
}

/** A task delivery as the API posts it to `callback_url`. */
function delivery(url, task) {
  return new Request(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(task),
  });
}

/** `@videoretalk/server`'s proxy, a Fetch-API handler run inside the runtime under test. */
export const proxyTests = [
  {
    name: "server: the proxy forwards create and get with the server's key, never the caller's",
    async run(config) {
      const { handler, upstream } = proxy(config);
      const client = browserClient(handler);
      const created = await createSampleTask(client, config);
      const read = await client.tasks.get(created.id);
      equal(read.id, created.id, "task read through the proxy");
      equal(upstream.calls.length, 2, "upstream requests");
      for (const call of upstream.calls) {
        equal(call.headers.get("authorization"), `Bearer ${config.apiKey}`, "upstream Authorization");
      }
    },
  },
  {
    name: "server: the proxy refuses unauthorized callers and routes outside its two operations",
    async run(config) {
      const refused = browserClient(proxy(config, () => false).handler);
      await rejects(refused.tasks.get("task-unified-1-abcdefgh"), PermissionDeniedError, "unauthorized get");
      const { handler, upstream } = proxy(config);
      const response = await handler(new Request(`${APP}/api/vr/v1/credits`));
      equal(response.status, 404, "status of an unknown route");
      await rejects(browserClient(handler).tasks.get("task-unified-1-missing0"), NotFoundError, "unknown task");
      ok(
        upstream.calls.every((call) => !call.url.includes("/credits")),
        "nothing outside the allow-list went upstream",
      );
    },
  },
];

/** `@videoretalk/server`'s webhook receiver. */
export const webhookTests = [
  {
    name: "server: the webhook handler takes a signed delivery once and refuses an unsigned one",
    async run() {
      const received = [];
      const handler = createWebhookHandler({ secret: SECRET, onTask: (task) => received.push(task.id) });
      const signed = await callbackUrl(`${APP}/hooks/videoretalk?user=42`, { secret: SECRET });
      const task = {
        id: "task-unified-1700000000-matrix01",
        object: "video.generation.task",
        created: 1_700_000_000,
        model: "videoretalk",
        status: "completed",
        progress: 100,
        type: "video",
        task_info: { can_cancel: false },
        results: ["https://cdn.example/result.mp4"],
      };
      equal((await handler(delivery(signed, task))).status, 200, "first signed delivery");
      equal((await handler(delivery(signed, task))).status, 200, "repeated delivery");
      equal((await handler(delivery(`${APP}/hooks/videoretalk?user=42`, task))).status, 401, "unsigned delivery");
      equal(received.length, 1, "onTask calls");
      equal(received[0], task.id, "task id handed to onTask");
    },
  },
];
