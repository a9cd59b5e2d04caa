import { join } from "node:path";
import { expect, it } from "vitest";
import { type Checkpoint, type CheckpointStore, runBatch } from "../src/index.js";
import { clientFor, distinctVideos, emulatorPerTest, FAST_POLL, mismatchedOutputs } from "./support/setup.js";

const setup = emulatorPerTest();

/** Any store works: here an in-memory one that can be told to fail (a disk gone full) at one step. */
class MemoryStore implements CheckpointStore {
  readonly checkpoints: Checkpoint[] = [];
  failOn: Checkpoint["step"] | undefined;
  async load() {
    return [...this.checkpoints];
  }
  async append(checkpoint: Checkpoint) {
    if (checkpoint.step === this.failOn) throw new Error(`cannot write ${checkpoint.step}`);
    this.checkpoints.push(checkpoint);
  }
  async close() {}
}

it("a store failure stops the run before the create is sent; the resume reuses the uploads and creates each task once", async () => {
  const { emulator, dir } = await setup();
  let uploads = 0;
  const counting: typeof fetch = (input, init) => {
    if (String(input instanceof Request ? input.url : input).includes("/api/v1/files/upload")) uploads++;
    return fetch(input, init);
  };
  const client = clientFor(emulator, { fetch: counting });
  const videos = await distinctVideos(emulator, dir, 3);
  const jobs = videos.map((video, i) => ({ id: `j${i}`, video, audio: `${emulator.url}/samples/speech.wav` }));
  const store = new MemoryStore();
  store.failOn = "creating";
  const options = { outDir: join(dir, "out"), journal: store, ...FAST_POLL, allowPrivateNetwork: true };

  await expect(runBatch(client, jobs, options)).rejects.toThrow("cannot write creating");
  expect(emulator.stats().tasks).toHaveLength(0);
  const uploadsBefore = uploads;
  // Uploads still in flight when the run stopped were not recorded; those that were, count.
  const recorded = store.checkpoints.filter((cp) => cp.step === "uploaded").length;
  expect(recorded).toBeGreaterThanOrEqual(1);

  store.failOn = undefined;
  const summary = await runBatch(client, jobs, options);
  expect(summary.totals.downloaded).toBe(3);
  // Jobs whose upload was recorded were not uploaded again.
  expect(uploads - uploadsBefore).toBe(3 - recorded);
  expect(emulator.stats().tasks).toHaveLength(3);
  expect(await mismatchedOutputs(emulator, summary)).toEqual([]);
});
