import { createVideoRetalk, type VideoRetalkClient } from "@videoretalk/core";
import { type Emulator, type EmulatorOptions, startEmulator } from "@videoretalk/emulator";
import { type RunningRedis, startRedis } from "@videoretalk/test-support/redis-server";

/** A real redis-server and an in-process emulator, both on free loopback ports. */
export interface Services {
  redis: RunningRedis;
  emulator: Emulator;
  client: VideoRetalkClient;
  close(): Promise<void>;
}

export async function startServices(emulatorOptions: EmulatorOptions = {}): Promise<Services> {
  const redis = await startRedis();
  const emulator = await startEmulator({ speed: 200, ...emulatorOptions });
  const client = createVideoRetalk({ apiKey: "test-key", baseUrl: emulator.url, filesBaseUrl: emulator.url });
  return {
    redis,
    emulator,
    client,
    async close() {
      await Promise.allSettled([emulator.close(), redis.close()]);
    },
  };
}
