export declare const REDIS_INSTALL_HINT: string;
/** Throws (naming `apt-get install -y redis-server`) when the binary is missing; returns its version line. */
export declare function assertRedisInstalled(binary?: string): string;
/** A private redis-server on a free 127.0.0.1 port with a temporary directory. */
export interface RunningRedis {
  url: string;
  port: number;
  version: string;
  close(): Promise<void>;
}
export declare function startRedis(options?: { binary?: string; attempts?: number }): Promise<RunningRedis>;
