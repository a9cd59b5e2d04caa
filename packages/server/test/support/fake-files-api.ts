import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One upload the fake Files API received in full. */
export interface ReceivedUpload {
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface FakeFilesApi {
  url: string;
  /** Uploads received to the end of their body. */
  uploads: ReceivedUpload[];
  /** Requests whose connection was cut before the body ended. */
  aborted: number;
  /** Answers the next upload with this status and envelope instead of a `file_url`. */
  failNext(status: number, envelope: unknown): void;
  close(): Promise<void>;
}

/**
 * A stand-in for Evolink's Files API on 127.0.0.1: `POST /api/v1/files/upload/stream` answers
 * `{ success: true, data: { file_url } }` once the whole body has arrived.
 */
export async function startFakeFilesApi(): Promise<FakeFilesApi> {
  const uploads: ReceivedUpload[] = [];
  const failures: { status: number; envelope: unknown }[] = [];
  const state = { aborted: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let ended = false;
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("close", () => {
      if (!ended) state.aborted += 1;
    });
    req.on("end", () => {
      ended = true;
      const body = Buffer.concat(chunks);
      uploads.push({ url: req.url ?? "", headers: req.headers, body });
      const failure = failures.shift();
      const [status, envelope] = failure
        ? [failure.status, failure.envelope]
        : [
            200,
            {
              success: true,
              code: 200,
              msg: "ok",
              data: { file_url: `${address()}/files/upload-${uploads.length}`, file_id: `file_${uploads.length}` },
            },
          ];
      res.writeHead(status, { "content-type": "application/json", "x-request-id": "req_files_1", "set-cookie": "a=b" });
      res.end(JSON.stringify(envelope));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: address(),
    uploads,
    get aborted() {
      return state.aborted;
    },
    failNext: (status, envelope) => {
      failures.push({ status, envelope });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
