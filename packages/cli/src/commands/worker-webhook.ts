import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createCallbackReceiver } from "@videoretalk/bullmq";
import type { VideoRetalkClient } from "@videoretalk/core";
import { toNodeHandler } from "@videoretalk/server/node";

/** The worker's webhook receiver, listening. */
export interface RunningWebhook {
  /** Where it listens, e.g. `http://127.0.0.1:8080` (the actual port when 0 was asked). */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts `@videoretalk/bullmq`'s callback receiver (`createWebhookHandler`, deduplicated in Redis)
 * on `host:port`: each delivered task completes the job waiting on it, in whichever worker of the
 * queue holds it. The token only admits a delivery: each is re-read with the worker's `client`
 * (`verify: "refetch"`) and only the API's version counts, and only tasks a job of the queue has
 * checkpointed are accepted (others: 404, nothing stored), so whoever learns the URL can neither
 * fail a job, hand it their own result, nor fill Redis.
 *
 * @throws the listen error (e.g. `EADDRINUSE`) after closing what was opened.
 */
export async function startWebhookReceiver(options: {
  /** The worker's API client: every delivery is read back with it. */
  client: Pick<VideoRetalkClient, "tasks">;
  redis: string;
  queueName: string;
  secret: string;
  host: string;
  port: number;
  onError: (error: unknown) => void;
}): Promise<RunningWebhook> {
  const receiver = createCallbackReceiver({
    redis: options.redis,
    queueName: options.queueName,
    secret: options.secret,
    verify: "refetch",
    client: options.client,
    onError: (error) => options.onError(error),
  });
  const server: Server = createServer(toNodeHandler(receiver.handler));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, options.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    await receiver.close();
    throw error;
  }
  server.on("error", options.onError);
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await receiver.close();
    },
  };
}
