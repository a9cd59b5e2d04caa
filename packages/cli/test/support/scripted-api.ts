import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** What a {@link startScriptedApi} answers: a status and a JSON body, or raw bytes. */
export type ScriptedAnswer = { status: number; json: unknown } | { status: number; bytes: Buffer };

/** A local API whose answers a test writes (a hostile API, for example), recording request paths. */
export interface ScriptedApi {
  url: string;
  paths: string[];
  close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 (port 0) that answers each request with `answer(method, path, url)`,
 * where `url` is its own origin (for result links pointing back at it).
 */
export async function startScriptedApi(
  answer: (method: string, path: string, url: string) => ScriptedAnswer,
): Promise<ScriptedApi> {
  const paths: string[] = [];
  let origin = "";
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on("end", () => {
      const path = req.url ?? "/";
      paths.push(`${req.method} ${path}`);
      const reply = answer(req.method ?? "GET", path, origin);
      if ("json" in reply) {
        const text = JSON.stringify(reply.json);
        res.writeHead(reply.status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
        res.end(text);
      } else {
        res.writeHead(reply.status, { "content-type": "video/mp4", "content-length": reply.bytes.byteLength });
        res.end(reply.bytes);
      }
    });
  });
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    paths,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A task JSON as the API sends it, with `overrides` (e.g. a hostile id or message). */
export function taskJson(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    id: "task-unified-1700000000-abcd1234",
    object: "video.generation.task",
    created: 1_700_000_000,
    model: "videoretalk",
    status: "completed",
    progress: 100,
    type: "video",
    task_info: { can_cancel: false, video_duration: 2 },
    usage: { billing_rule: "per_second", credits_reserved: 80, user_group: "default" },
    ...overrides,
  };
}
