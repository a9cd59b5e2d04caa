import { createVideoRetalk } from "@videoretalk/core";
import { createEmulatorHandlers } from "@videoretalk/emulator/msw";
import { waitForTask } from "@videoretalk/polling";
import { getResponse } from "msw";
import { equal, ok } from "./assert.mjs";

const BASE = "https://app.example/api/videoretalk";

/**
 * `@videoretalk/emulator/msw` in the runtime itself (what a Storybook story or component test
 * does): the handlers answer through msw's `getResponse`, on a clock the test steps by hand.
 */
export async function runMswFlow() {
  let now = 1_700_000_000_000;
  // speed 1, random 0: exactly 30 s of the stepped clock per task.
  const emulator = createEmulatorHandlers({ baseUrl: BASE, now: () => now, random: () => 0 });
  const client = createVideoRetalk({
    apiKey: null,
    baseUrl: BASE,
    dangerouslyAllowBrowser: true,
    fetch: async (input, init) => {
      const response = await getResponse(emulator.handlers, new Request(input, init));
      if (!response) throw new TypeError(`no MSW handler for ${new Request(input, init).url}`);
      return response;
    },
  });
  const created = await client.lipSync.create({
    video_url: "https://cdn.example/speaker.mp4",
    audio_url: "https://cdn.example/speech.wav",
  });
  equal(created.status, "pending", "status at creation");
  now += 15_000;
  const halfway = await client.tasks.get(created.id);
  equal(halfway.status, "processing", "status after 15 s");
  equal(halfway.progress, 50, "progress after 15 s");
  now += 15_000;
  const done = await waitForTask(client, created.id, { minIntervalMs: 10, maxIntervalMs: 10 });
  equal(done.status, "completed", "status after 30 s");
  ok(done.results?.[0] === `${BASE}/results/${created.id}.mp4`, "the result URL is served by the handlers");
}
