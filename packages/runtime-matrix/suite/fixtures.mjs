import { createVideoRetalk } from "@videoretalk/core";

/**
 * What every test gets from the runner: the emulator's URL and key, and the capabilities of the
 * runtime the suite runs on.
 *
 * @typedef {{ emulatorUrl: string, apiKey: string, runtime: string, tempDir?: string }} MatrixConfig
 */

/** The emulator's own sample video, which it hosts and returns as every task's result. */
export const sampleVideo = (config, scenario) => {
  const url = new URL(`${config.emulatorUrl}/samples/speaker.mp4`);
  // A unique body per call: the emulator counts `status:503*1` per request body, and runtimes
  // share one emulator.
  url.searchParams.set("run", `${config.runtime}-${Math.random().toString(36).slice(2)}`);
  if (scenario) url.searchParams.set("scenario", scenario);
  return url.href;
};
export const sampleAudio = (config) => `${config.emulatorUrl}/samples/speech.wav`;

/** A fetch that records each request (method, URL, headers) before sending it. */
export function recordingFetch(inner = globalThis.fetch) {
  const calls = [];
  const fetchImpl = async (input, init) => {
    const request = new Request(input, init);
    calls.push({ method: request.method, url: request.url, headers: request.headers });
    return inner(request);
  };
  return { calls, fetch: fetchImpl };
}

/**
 * A client for the emulator. `random: () => 0` makes every retry delay zero (full jitter), so a
 * retried request costs no waiting; `dangerouslyAllowBrowser` lets the same code run in Chromium.
 */
export function emulatorClient(config, options = {}) {
  return createVideoRetalk({
    apiKey: config.apiKey,
    baseUrl: config.emulatorUrl,
    random: () => 0,
    dangerouslyAllowBrowser: true,
    ...options,
  });
}

/** Creates a task from the emulator's samples. */
export function createSampleTask(client, config, scenario) {
  return client.lipSync.create({ video_url: sampleVideo(config, scenario), audio_url: sampleAudio(config) });
}

/** Collects a download into memory through a WritableStream. */
export function memorySink() {
  const chunks = [];
  const stream = new WritableStream({
    write(chunk) {
      chunks.push(chunk);
    },
  });
  const bytes = () => {
    const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
    const all = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      all.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return all;
  };
  return { stream, bytes };
}
