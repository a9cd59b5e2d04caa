import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { NodeHandler } from "../../src/node.js";

export interface Served {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** Serves a node handler on 127.0.0.1 on a free port. */
export async function serve(handler: NodeHandler): Promise<Served> {
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Header names and values exactly as received. */
  rawHeaders: string[];
  body: string;
}

export interface RawRequestOptions {
  method?: string;
  /** The request target exactly as sent, dot segments and all. */
  path: string;
  headers?: Record<string, string | number>;
  /** Chunks written one by one (chunked unless a content-length header is given). */
  chunks?: (string | Buffer)[];
  /** Leave the request open after the headers and chunks (to test early answers). */
  keepOpen?: boolean;
}

/** Sends a request with node:http so the target and headers are not normalised by fetch. */
export function rawRequest(port: number, options: RawRequestOptions): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method: options.method ?? "GET",
        path: options.path,
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body: Buffer.concat(chunks).toString("utf8"),
          });
          req.destroy();
        });
        res.on("error", reject);
      },
    );
    // The server may close while the upload is still going (that is the point of some tests).
    req.on("error", (error) => reject(error));
    for (const chunk of options.chunks ?? []) req.write(chunk);
    if (options.keepOpen) req.flushHeaders();
    else req.end();
  });
}
