import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake API received. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A scripted answer: status, headers and a body (objects are sent as JSON). */
export interface FakeReply {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: unknown;
}

export interface FakeApi {
  url: string;
  received: ReceivedRequest[];
  /** Queues answers for the next requests; without one, the default task answers are used. */
  reply(...replies: FakeReply[]): void;
  close(): Promise<void>;
}

/** A task as the API returns it. */
export function taskBody(id: string, status = "pending", extra: Record<string, unknown> = {}) {
  return {
    id,
    object: "video.generation.task",
    model: "videoretalk",
    created: 1756817821,
    status,
    progress: status === "completed" ? 100 : 0,
    type: "video",
    ...extra,
  };
}

/**
 * A stand-in for the VideoRetalk API on 127.0.0.1 that records every request. By default it
 * answers creates with a pending task and task reads with a processing one.
 */
export async function startFakeApi(): Promise<FakeApi> {
  const received: ReceivedRequest[] = [];
  const queue: FakeReply[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      const scripted = queue.shift();
      const reply: FakeReply =
        scripted ??
        (req.method === "POST"
          ? { status: 200, body: taskBody("task-unified-1756817821-abcd1234") }
          : { status: 200, body: taskBody(decodeURIComponent((req.url ?? "").split("/").pop() ?? ""), "processing") });
      const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? {});
      res.writeHead(reply.status, {
        "content-type": typeof reply.body === "string" ? "text/html" : "application/json",
        "x-request-id": "req_upstream_1",
        ...reply.headers,
      });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    reply: (...replies) => {
      queue.push(...replies);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
