import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createCallbackReceiver } from "@videoretalk/bullmq";
import { toNodeHandler } from "@videoretalk/server/node";

/** The worker's webhook receiver, listening. */
export interface RunningWebhook {
  /** Where it listens, e.g. `http://127.0.0.1:8080` (the actual port when 0 was asked). */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts `@videoretalk/bullmq`'s callback receiver (`createWebhookHandler`: token-verified,
 * deduplicated in Redis) on `host:port`: each delivered task completes the job waiting on it, in
 * whichever worker of the queue holds it.
 *
 * @throws the listen error (e.g. `EADDRINUSE`) after closing what was opened.
 */
export async function startWebhookReceiver(options: {
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
