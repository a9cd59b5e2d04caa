import { afterAll, afterEach, beforeAll } from "vitest";
import { type FakeFilesApi, startFakeFilesApi } from "./fake-files-api.js";
import type { Served } from "./serve.js";

/** What the upload-route test files share: one fake Files API and the servers each test starts. */
export interface UploadFixture {
  /** The file's fake Files API (started in `beforeAll`; read it inside a test), its uploads cleared after each test. */
  files: FakeFilesApi;
  /** Push every server a test starts: each is closed after the test. */
  servers: Served[];
}

/**
 * Registers the hooks of an upload-route test file: a fake Files API for the whole file, whose
 * recorded uploads are cleared after each test, and servers closed after the test that started them.
 */
export function uploadFixture(): UploadFixture {
  let api: FakeFilesApi | undefined;
  const servers: Served[] = [];
  beforeAll(async () => {
    api = await startFakeFilesApi();
  });
  afterAll(() => api?.close());
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    if (api) api.uploads.length = 0;
  });
  const started = (): FakeFilesApi => {
    if (!api) throw new Error("the fake Files API starts in beforeAll: read it inside a test");
    return api;
  };
  // A stand-in that reads the started API, so test files can hold it from module load on.
  const files: FakeFilesApi = {
    get url() {
      return started().url;
    },
    get uploads() {
      return started().uploads;
    },
    get aborted() {
      return started().aborted;
    },
    failNext: (status, envelope) => started().failNext(status, envelope),
    close: () => started().close(),
  };
  return { files, servers };
}

/** Bytes that start like an MP4 (an `ftyp` box), then a counting pattern. */
export function mp4Bytes(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = i % 251;
  bytes.set([0, 0, 0, 0x18, ...Buffer.from("ftypisom")], 0);
  return bytes;
}
